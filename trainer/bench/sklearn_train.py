"""Side-by-side baseline for `npm run bench:train`: scikit-learn's best classic TF-IDF + LR on the same split.

word 1-2-grams + char 2-5-grams (FeatureUnion), sublinear TF, min_df 2, 200k features per block,
C = 0.5, balanced class weights, lbfgs. Prints one JSON object (times in seconds, metrics on validation).
Needs python3 with scikit-learn (Debian: apt-get install python3-sklearn).
"""
import csv
import json
import resource
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.pipeline import FeatureUnion



def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


train_text, train_label = read(sys.argv[1])
val_text, val_label = read(sys.argv[2])

start = time.perf_counter()
features = FeatureUnion([
    ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=200_000)),
    ("char", TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=2, max_features=200_000)),
])
x_train = features.fit_transform(train_text)
vectorize_seconds = time.perf_counter() - start
solve_start = time.perf_counter()
model = LogisticRegression(C=0.5, class_weight="balanced", max_iter=1000).fit(x_train, train_label)
solve_seconds = time.perf_counter() - solve_start
total_seconds = time.perf_counter() - start

predicted = model.predict(features.transform(val_text))
print(json.dumps({
    "implementation": "scikit-learn",
    "total_seconds": total_seconds,
    "vectorize_seconds": vectorize_seconds,
    "solve_seconds": solve_seconds,
    "iterations": int(model.n_iter_[0]),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "features": x_train.shape[1],
    "validation": {
        "macro_recall": recall_score(val_label, predicted, average="macro"),
        "macro_f1": f1_score(val_label, predicted, average="macro"),
        "accuracy": sum(p == t for p, t in zip(predicted, val_label)) / len(val_label),
    },
}))
