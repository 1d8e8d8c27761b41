"""Training and honest measurement of the decision layer (`tally.extract.decide`).

`python -m tally.train` (what `make train` runs) reads the shared gold (seeds, dev and
train of ../shared/eval), runs the rules over every article to get each candidate's
features, aligns candidates with gold figures, fits one scikit-learn logistic regression
per decision, and writes the models into the package. `--cv` runs grouped 5-fold
cross-validation instead: folds by article, so no article is in both the training and
the test part of a fold, scored by the shared scorer beside the rules alone.

Only this package imports scikit-learn (a development dependency): the models it writes
are plain weights that `tally.extract.linear` scores without it.
"""
