"""Questions about pandas, NumPy, plotting and machine learning, with the answers that help."""

from app.seed.content import QuestionTopic as Q

QUESTIONS = (
    Q(
        category="data-science-ml",
        tags=("pandas", "data-cleaning"),
        titles=(
            "SettingWithCopyWarning when I filter a DataFrame and add a column",
            "How do I avoid SettingWithCopyWarning in pandas after filtering «frame»?",
        ),
        slots={"frame": ("orders", "sales", "students", "trips"), "col": ("total", "margin", "grade")},
        problem="""```python
recent = «frame»[«frame»["year"] >= 2023]
recent["«col»"] = recent["price"] * recent["qty"]
```

```text
SettingWithCopyWarning:
A value is trying to be set on a copy of a slice from a DataFrame.
Try using .loc[row_indexer,col_indexer] = value instead
```

The column does get added to `recent`, so is the warning safe to ignore?""",
        tried=("`recent.loc[:, '«col»'] = ...` — still warns",),
        answers=(
            """pandas can't tell whether `recent` is a view or a copy of `«frame»`, so it warns \
that your write might not go where you think. Make the copy explicit:

```python
recent = «frame»[«frame»["year"] >= 2023].copy()
recent["«col»"] = recent["price"] * recent["qty"]
```

Or build it in one chain, which never creates the ambiguous intermediate:

```python
recent = «frame».query("year >= 2023").assign(«col»=lambda d: d.price * d.qty)
```""",
            """In pandas 3 Copy-on-Write becomes the default and this warning goes away. You can \
opt in today with `pd.options.mode.copy_on_write = True` and the behaviour is predictable: \
writes to `recent` never touch `«frame»`.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("pandas", "data-cleaning"),
        titles=(
            "pd.merge returns more rows than both DataFrames",
            "Merging «left» and «right» duplicates rows",
        ),
        slots={"left|right": ("orders|customers", "visits|users", "enrollments|students")},
        problem="""`«left»` has 10,000 rows and `«right»` 2,300. After a left merge I get 10,412:

```python
merged = «left».merge(«right», on="email", how="left")
print(len(«left»), len(merged))
# 10000 10412
```

I expected exactly 10,000 rows.""",
        tried=("`drop_duplicates()` afterwards — but I'm not sure which duplicates are safe to drop",),
        answers=(
            """Some emails appear more than once in `«right»`, so each matching row of `«left»` is \
repeated once per match. Find them:

```python
dupes = «right»[«right».duplicated("email", keep=False)].sort_values("email")
```

And make pandas check your assumption on every merge:

```python
merged = «left».merge(«right», on="email", how="left", validate="many_to_one")
```

`validate` raises `MergeError` instead of silently multiplying rows.""",
            """Emails are a classic trap: `Ada@Example.com` and `ada@example.com ` (trailing space) \
are different keys. Normalise before merging:

```python
for df in («left», «right»):
    df["email"] = df["email"].str.strip().str.lower()
```""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("pandas",),
        titles=(
            "groupby with several aggregations and readable column names",
            "How do I get mean, max and count per «group» in one groupby?",
        ),
        slots={"group": ("region", "course", "store", "month")},
        problem="""I need, per «group», the average and maximum `amount` and the number of rows. \
This gives me a MultiIndex mess:

```python
df.groupby("«group»").agg({"amount": ["mean", "max", "count"]})
```

and the columns come out as `('amount', 'mean')` tuples.""",
        tried=("Flattening with `'_'.join` over the columns — works but ugly",),
        answers=(
            """Use named aggregation — you choose the output names directly:

```python
summary = df.groupby("«group»").agg(
    avg_amount=("amount", "mean"),
    max_amount=("amount", "max"),
    rows=("amount", "size"),
).reset_index()
```

Note `size` counts rows, `count` counts non-null values — they differ when `amount` has NaNs.""",
            """And add `.sort_values("avg_amount", ascending=False)` at the end if it goes into a \
report; `groupby` sorts by the key, which is rarely the order people want to read.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("pandas", "data-cleaning", "beginner"),
        titles=(
            "KeyError: '«col»' but the column is right there in df.head()",
            "pandas says column '«col»' does not exist after read_csv",
        ),
        slots={"col": ("price", "date", "customer_id", "score")},
        problem="""```python
df = pd.read_csv("data.csv")
print(df.head())
df["«col»"].mean()
```

`head()` clearly shows a `«col»` column, but:

```text
KeyError: '«col»'
```""",
        tried=("Copy-pasting the name from the CSV header",),
        answers=(
            """Print the exact names with `repr` and you'll probably see whitespace:

```python
print(df.columns.tolist())
# ['id', ' «col»', 'qty']
```

Clean them once after loading:

```python
df.columns = df.columns.str.strip()
```

Or `pd.read_csv("data.csv", skipinitialspace=True)` if the file uses `, ` as separator.""",
            """Another one I've seen: a UTF-8 BOM glued to the first column name (`'\\ufeff«col»'`). \
`encoding="utf-8-sig"` in `read_csv` removes it.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("scikit-learn", "machine-learning"),
        titles=(
            "Is it data leakage to fit StandardScaler before train_test_split?",
            "My «model» scores 0.97 in validation and 0.71 in production",
        ),
        slots={"model": ("logistic regression", "random forest", "SVM", "gradient boosting model")},
        problem="""My pipeline scales first and splits second:

```python
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split

X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
```

The «model» looks great on the test set but much worse on new data.""",
        tried=("More regularisation — test score drops, production score barely moves",),
        answers=(
            """Yes, that leaks: the scaler's mean and standard deviation were computed on the \
test rows too. Put preprocessing inside a `Pipeline` so it is fitted on training data only — \
also inside each cross-validation fold:

```python
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
print(cross_val_score(pipe, X_train, y_train, cv=5).mean())
```""",
            """Scaling leakage is usually small, though. A gap like 0.97 → 0.71 smells of a \
bigger leak: a feature computed from the target, duplicated rows across the split, or a random \
split on time-ordered data. If rows have dates, split by time (`TimeSeriesSplit`) and check \
feature importances for anything suspiciously strong.""",
            """Also look at *what* changed between validation and production: class balance, new \
categories, a column that is filled later in the real process. `df.describe()` on both sides \
side by side is a cheap first check.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("scikit-learn", "data-cleaning"),
        titles=(
            "ValueError: Input X contains NaN when fitting «estimator»",
            "How should I handle missing values before training «estimator»?",
        ),
        slots={"estimator": ("LinearRegression", "KNeighborsClassifier", "SVC", "LogisticRegression")},
        problem="""```python
model = «estimator»()
model.fit(X_train, y_train)
```

```text
ValueError: Input X contains NaN.
«estimator» does not accept missing values encoded as NaN natively.
```

About 8% of the `income` column is empty.""",
        tried=("`X_train.dropna()` — then X and y have different lengths",),
        answers=(
            """Impute inside a pipeline, so the fill values come from the training data only:

```python
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline

model = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), «estimator»())
model.fit(X_train, y_train)
```

`add_indicator=True` adds a "was missing" column; missingness is often informative.""",
            """If you do drop rows, drop them from both at once: \
`mask = X_train.notna().all(axis=1)`, then `X_train[mask], y_train[mask]`. Or switch to \
`HistGradientBoostingClassifier`, which handles NaN natively.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("numpy",),
        titles=(
            "operands could not be broadcast together with shapes («n»,3) («n»,)",
            "Subtracting the row mean from a NumPy array gives a broadcasting error",
        ),
        slots={"n": ("100", "250", "1000", "64")},
        problem="""I want to centre each row of a matrix:

```python
import numpy as np
X = np.random.rand(«n», 3)
X_centred = X - X.mean(axis=1)
```

```text
ValueError: operands could not be broadcast together with shapes («n»,3) («n»,)
```""",
        tried=("`X.mean(axis=0)` works, but that centres the columns",),
        answers=(
            """Broadcasting lines shapes up from the **right**: `(«n», 3)` against `(«n»,)` \
compares 3 with «n». Keep the reduced axis so the mean is a column vector:

```python
X_centred = X - X.mean(axis=1, keepdims=True)   # («n», 3) - («n», 1)
```""",
            """Equivalent: `X - X.mean(axis=1)[:, None]`. I prefer `keepdims=True` because it \
survives refactors where the axis changes.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("pytorch", "deep-learning"),
        titles=(
            "Expected all tensors to be on the same device, but found cuda:0 and cpu",
            "PyTorch training loop fails after moving «net» to the GPU",
        ),
        slots={"net": ("my CNN", "the model", "a ResNet18", "my LSTM")},
        problem="""I moved «net» to the GPU and now training crashes on the first batch:

```python
model = Net().to("cuda")
for xb, yb in loader:
    out = model(xb)
    loss = loss_fn(out, yb)
```

```text
RuntimeError: Expected all tensors to be on the same device, but found at least two devices,
cuda:0 and cpu!
```""",
        tried=("Calling `.cuda()` on the model a second time",),
        answers=(
            """The batches from the `DataLoader` are still on the CPU. Move them too:

```python
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = Net().to(device)
for xb, yb in loader:
    xb, yb = xb.to(device), yb.to(device)
    out = model(xb)
```

`pin_memory=True` on the loader plus `.to(device, non_blocking=True)` speeds up the copy.""",
            """Also check tensors you create *inside* `forward` — `torch.zeros(n)` lands on the CPU. \
Use `torch.zeros(n, device=x.device)` so it follows the input wherever it is.""",
        ),
    ),
    Q(
        category="data-science-ml",
        tags=("matplotlib", "visualization"),
        titles=(
            "Matplotlib x-axis labels overlap when plotting «what»",
            "How do I stop long category names overlapping on a bar chart?",
        ),
        slots={"what": ("dates", "course names", "country names", "product categories")},
        problem="""```python
fig, ax = plt.subplots()
ax.bar(df["label"], df["count"])
plt.show()
```

With about 30 «what» the labels on the x-axis print over each other and are unreadable.""",
        tried=("`plt.xticks(rotation=90)` — readable, but the labels get cut off at the bottom",),
        answers=(
            """Long category labels read better on a **horizontal** bar chart:

```python
fig, ax = plt.subplots(figsize=(6, 8), layout="constrained")
ax.barh(df["label"], df["count"])
ax.invert_yaxis()  # largest first, if df is sorted
```

`layout="constrained"` makes room for the labels so nothing is cut off.""",
            """For dates, let Matplotlib pick the ticks: `fig.autofmt_xdate()` rotates and aligns \
them, and `mdates.ConciseDateFormatter` gives short labels.""",
        ),
    ),
)
