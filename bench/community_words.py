"""The words of the benchmark community: tags in families, and text that goes with them.

Tags come in families (the Python data stack, the JVM, the web front end...): a thread's
tags mostly share a family and people's home tags do too, so the communities job has
real clusters to find, and titles and posts reuse their tags' words, so TF-IDF has
something to match. Within a family the tags are listed most popular first.
"""

# (family words, tags): the words are what posts about the family talk about.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("dataframe column index merge groupby series csv row",
     "pandas python numpy dataframe csv groupby pandas-merge jupyter matplotlib seaborn "
     "polars dask"),
    ("model training loss tensor gradient epoch layer batch",
     "pytorch tensorflow keras deep-learning neural-network cuda transformers huggingface onnx "
     "jax gpu cnn"),
    ("feature classifier regression fit predict pipeline cross-validation accuracy",
     "scikit-learn machine-learning ml xgboost lightgbm classification regression "
     "feature-engineering random-forest clustering pca statistics"),
    ("query join table index transaction row schema select",
     "sql postgresql mysql sqlite database query-optimization indexing orm sqlalchemy "
     "transactions joins migrations"),
    ("component state props render hook event dom bundle",
     "javascript reactjs typescript node.js vue.js angular nextjs webpack redux jquery dom "
     "svelte"),
    ("style layout selector flex grid responsive font color",
     "css html css-grid flexbox sass tailwind-css bootstrap responsive-design accessibility "
     "svg animation web-fonts"),
    ("route request view template form session endpoint middleware",
     "django flask fastapi rest-api http jinja2 celery gunicorn django-rest-framework "
     "authentication jwt websocket"),
    ("class method interface generic stream thread exception build",
     "java spring-boot kotlin maven gradle jvm hibernate junit android multithreading "
     "java-stream lombok"),
    ("memory pointer compile template struct linker undefined vector",
     "c++ c cmake pointers stl templates gcc clang memory-management rust cargo llvm"),
    ("container image volume cluster pod deploy node service",
     "docker kubernetes docker-compose helm devops ci-cd github-actions terraform ansible "
     "nginx linux bash"),
    ("bucket instance lambda role permission region function storage",
     "amazon-web-services aws-lambda amazon-s3 azure google-cloud-platform serverless "
     "cloudformation iam ec2 firebase heroku cloud"),
    ("commit branch merge rebase remote conflict history tag",
     "git github gitlab version-control git-merge git-rebase pull-request gitignore "
     "git-submodules code-review monorepo pre-commit"),
    ("regex string parse split encoding unicode match pattern",
     "regex string parsing unicode json xml yaml text-processing encoding utf-8 "
     "string-formatting tokenization"),
    ("array list loop function dict comprehension iterator generator",
     "python-3.x list dictionary loops functions recursion algorithm data-structures "
     "sorting big-o iterator generators"),
    ("test mock fixture assert coverage fail case runner",
     "unit-testing pytest testing mocking tdd selenium integration-testing test-coverage "
     "jest cypress playwright fixtures"),
    ("async await future task loop coroutine channel lock",
     "asyncio async-await concurrency multiprocessing threads go goroutines parallel-processing "
     "event-loop locking race-condition queue"),
    ("plot chart axis figure legend color label scale",
     "data-visualization plotly ggplot2 r dplyr tidyverse d3.js bokeh charts dashboard "
     "tableau power-bi"),
    ("token embedding prompt text vector corpus sentence language",
     "nlp large-language-model langchain word2vec bert spacy nltk text-classification "
     "sentiment-analysis embeddings rag openai-api"),
    ("image pixel frame camera detection segmentation filter resize",
     "computer-vision opencv image-processing object-detection yolo image-classification "
     "pillow scikit-image ocr video-processing image-segmentation augmentation"),
    ("timeseries forecast date window trend season lag resample",
     "time-series forecasting datetime arima prophet timezone anomaly-detection "
     "signal-processing statsmodels resampling rolling-window lstm"),
    ("app screen view layout gesture build device simulator",
     "ios swift android-studio flutter dart react-native swiftui xcode kotlin-android "
     "mobile jetpack-compose expo"),
    ("package install environment version dependency path import module",
     "pip conda virtualenv poetry packaging setuptools pyproject python-import "
     "dependency-management anaconda pyenv wheel"),
    ("cluster partition job spark stream topic executor shuffle",
     "apache-spark pyspark hadoop kafka airflow etl data-engineering bigquery snowflake "
     "databricks parquet dbt"),
    ("key hash password token certificate encrypt attack permission",
     "security encryption oauth-2.0 ssl cryptography xss csrf cors hashing passwords "
     "penetration-testing owasp"),
    ("probability distribution sample estimate variance test hypothesis mean",
     "probability bayesian hypothesis-testing linear-algebra optimization scipy "
     "monte-carlo a-b-testing mathematics calculus markov-chains sampling"),
)

GENERAL = [
    "error", "problem", "issue", "value", "result", "output", "input", "file", "example",
    "code", "line", "way", "work", "use", "version", "change", "update", "call", "return",
    "type", "data", "object", "default", "option", "case", "performance", "slow", "fast",
    "simple", "best", "solution", "approach", "question", "answer", "help", "try",
    "expected", "actual", "behaviour", "working", "fails", "instead", "without",
    "multiple", "large", "small", "first", "last", "new",
]

TITLES = (
    "How to {verb} {a} {b} in {tag}?",
    "{tag}: {a} {b} {outcome}",
    "Why does {a} {outcome} when I {verb} {b}?",
    "Best way to {verb} {a} with {tag}",
    "{tag} {a} vs {b}: which to use?",
    "Cannot {verb} {a} {b} after upgrading {tag}",
)
VERBS = [
    "convert", "merge", "filter", "load", "save", "speed-up", "debug", "configure", "deploy",
    "split", "combine", "test",
]
OUTCOMES = [
    "is slow", "returns None", "raises an error", "gives wrong results", "hangs",
    "uses too much memory",
]


def tag_families(count: int) -> list[tuple[str, int]]:
    """`count` (name, family) pairs, most popular first within each family, families
    in order: the best-known tags of every family before any family's long tail."""
    tags = [name for _, names in FAMILIES for name in names.split()]
    if count > len(tags):
        raise ValueError(f"at most {len(tags)} tags")
    ranked = sorted(
        ((position, family, name)
         for family, (_, names) in enumerate(FAMILIES)
         for position, name in enumerate(names.split())),
    )[:count]
    return [(name, family) for _, family, name in sorted(ranked, key=lambda r: (r[1], r[0]))]
