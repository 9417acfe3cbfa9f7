"""Questions about Flask, HTTP APIs and the browser, with the answers that help."""

from app.seed.content import QuestionTopic as Q

QUESTIONS = (
    Q(
        category="web-development",
        tags=("flask", "python"),
        titles=(
            "RuntimeError: Working outside of application context in Flask",
            "Using db.session in a «where» fails with 'outside of application context'",
        ),
        slots={"where": ("script", "background thread", "CLI command", "unit test")},
        problem="""My app uses the factory pattern. In a «where» I query the database:

```python
from myapp import create_app
from myapp.models import User

app = create_app()
users = User.query.all()
```

```text
RuntimeError: Working outside of application context.

This typically means that you attempted to use functionality that needed
the current application.
```""",
        tried=("Importing `db` from the app module directly",),
        answers=(
            """Flask-SQLAlchemy finds its engine through `current_app`, which only exists inside \
an application context. Push one around the code:

```python
app = create_app()
with app.app_context():
    users = db.session.scalars(db.select(User)).all()
```

Requests push a context for you; scripts, threads and tests have to do it themselves.""",
            """For a «where», a custom CLI command is often nicer — `flask` pushes the context \
automatically:

```python
@app.cli.command("list-users")
def list_users():
    for user in db.session.scalars(db.select(User)):
        print(user.email)
```""",
        ),
    ),
    Q(
        category="web-development",
        tags=("javascript", "cors", "rest-api"),
        titles=(
            "Blocked by CORS policy: No 'Access-Control-Allow-Origin' header",
            "fetch() from «frontend» to my API fails with a CORS error",
        ),
        slots={"frontend": ("localhost:5173", "localhost:3000", "127.0.0.1:8080")},
        problem="""My frontend on «frontend» calls the API on port 8000:

```javascript
const res = await fetch("http://localhost:8000/api/items", {
  headers: { "Content-Type": "application/json" },
});
```

The browser console says:

```text
Access to fetch at 'http://localhost:8000/api/items' from origin 'http://«frontend»'
has been blocked by CORS policy: Response to preflight request doesn't pass access
control check: No 'Access-Control-Allow-Origin' header is present.
```

The same URL works in curl and Postman.""",
        tried=("`mode: 'no-cors'` — the error goes away but the response body is empty",),
        answers=(
            """CORS is enforced by the browser, which is why curl works. The **server** must say \
which origins may read its responses. With Flask:

```python
from flask_cors import CORS
CORS(app, origins=["http://«frontend»"])
```

`no-cors` gives you an *opaque* response on purpose — you can't read it, so it's never the fix.""",
            """In development you can avoid CORS entirely by proxying through the dev server, so \
the browser only ever talks to one origin. With Vite:

```javascript
// vite.config.js
export default { server: { proxy: { "/api": "http://localhost:8000" } } };
```

then `fetch("/api/items")`.""",
        ),
    ),
    Q(
        category="web-development",
        tags=("javascript", "beginner"),
        titles=(
            "fetch returns Promise { <pending> } instead of the data",
            "Why does my async function return a Promise and not the «thing»?",
        ),
        slots={"thing": ("JSON", "user list", "weather data", "array")},
        problem="""```javascript
async function getItems() {
  const res = await fetch("/api/items");
  return res.json();
}

const items = getItems();
console.log(items); // Promise { <pending> }
```

I expected the «thing».""",
        tried=("Adding another `await` inside `getItems`",),
        answers=(
            """An `async` function *always* returns a Promise; the caller has to wait for it too:

```javascript
const items = await getItems();   // in a module or another async function
// or
getItems().then((items) => console.log(items));
```""",
            """Also check `res.ok` before parsing — `fetch` only rejects on network errors, not on \
404 or 500:

```javascript
if (!res.ok) throw new Error(`HTTP ${res.status}`);
```""",
        ),
    ),
    Q(
        category="web-development",
        tags=("flask", "authentication"),
        titles=(
            "Flask-WTF form always fails with 'The CSRF token is missing'",
            "400 Bad Request: The CSRF token is missing on my «form» form",
        ),
        slots={"form": ("login", "signup", "comment", "settings")},
        problem="""My «form» form validates in tests but fails in the browser:

```html
<form method="post">
  {{ form.email.label }} {{ form.email() }}
  <button type="submit">Send</button>
</form>
```

```text
400 Bad Request: The CSRF token is missing.
```""",
        tried=("`WTF_CSRF_ENABLED = False` — it works, but that can't be right",),
        answers=(
            """The template never renders the token. Add the hidden fields:

```html
<form method="post">
  {{ form.hidden_tag() }}
  ...
</form>
```

Tests pass because test configs usually disable CSRF. Keep it **on** in real config — \
it is what stops other sites posting forms as your users.""",
            """If you build the form by hand without a FlaskForm, use \
`<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">`. For `fetch` calls, send \
the token in an `X-CSRFToken` header.""",
        ),
    ),
    Q(
        category="web-development",
        tags=("css", "html"),
        titles=(
            "How do I centre a «thing» vertically and horizontally with CSS?",
            "Flexbox: align-items: center does nothing",
        ),
        slots={"thing": ("div", "login card", "spinner", "modal")},
        problem="""I want the «thing» in the middle of the page:

```css
.wrapper {
  display: flex;
  justify-content: center;
  align-items: center;
}
```

It's centred horizontally but stays stuck at the top.""",
        tried=("`margin: auto` on the child", "`vertical-align: middle`"),
        answers=(
            """The wrapper is only as tall as its content, so there is nothing to centre in \
vertically. Give it height:

```css
.wrapper {
  min-height: 100dvh;
  display: grid;
  place-items: center;
}
```

`dvh` accounts for mobile browser toolbars, unlike `vh`.""",
            """Your flex version works too once the wrapper has `min-height`. `vertical-align` \
only applies to inline and table-cell elements, which is why it did nothing.""",
        ),
    ),
    Q(
        category="web-development",
        tags=("react", "javascript"),
        titles=(
            "useEffect runs in an infinite loop when I fetch «data»",
            "React component re-renders forever after setState in useEffect",
        ),
        slots={"data": ("posts", "the user profile", "search results")},
        problem="""```javascript
const [items, setItems] = useState([]);
const filters = { status: "open" };

useEffect(() => {
  fetch(`/api/items?status=${filters.status}`)
    .then((r) => r.json())
    .then(setItems);
}, [filters]);
```

The network tab shows hundreds of requests for «data».""",
        tried=("Removing the dependency array — even worse",),
        answers=(
            """`filters` is a new object on every render, so the dependency "changes" every time, \
the effect runs, sets state, re-renders, and around it goes. Depend on the primitive:

```javascript
const status = "open";
useEffect(() => {
  fetch(`/api/items?status=${status}`).then((r) => r.json()).then(setItems);
}, [status]);
```

Or `useMemo` the object if it really must be an object.""",
            """Once this works, add an `AbortController` cleanup so a slow old response can't \
overwrite a newer one. Or use a data library (TanStack Query, SWR) that handles it for you.""",
        ),
    ),
    Q(
        category="web-development",
        tags=("flask", "jinja"),
        titles=(
            "jinja2.exceptions.TemplateNotFound: «template»",
            "Flask can't find «template» although the file exists",
        ),
        slots={"template": ("index.html", "base.html", "dashboard.html", "errors/404.html")},
        problem="""```python
@app.route("/")
def home():
    return render_template("«template»")
```

```text
jinja2.exceptions.TemplateNotFound: «template»
```

The file is at `project/html/«template»`.""",
        tried=("An absolute path in `render_template`",),
        answers=(
            """Flask looks in a folder called `templates` next to the module or package that \
created the app. Either rename `html/` to `templates/`, or tell Flask where it is:

```python
app = Flask(__name__, template_folder="html")
```""",
            """`EXPLAIN_TEMPLATE_LOADING = True` in the config makes Flask log every place it \
searched — very handy with blueprints, which have their own template folders.""",
        ),
    ),
    Q(
        category="web-development",
        tags=("authentication", "rest-api"),
        titles=(
            "Sessions or JWT for a «app»?",
            "Where should a single-page app keep the login token?",
        ),
        slots={"app": ("small Flask app", "React + FastAPI project", "course project")},
        problem="""I'm building a «app» with a login. Every tutorial uses JWT in `localStorage`:

```javascript
localStorage.setItem("token", data.access_token);
fetch("/api/me", { headers: { Authorization: `Bearer ${token}` } });
```

Others say cookie sessions are safer. For one frontend on the same domain, which should I use?""",
        tried=(),
        answers=(
            """For one first-party frontend on the same site: **cookie sessions**. An `HttpOnly`, \
`Secure`, `SameSite=Lax` cookie can't be read by injected scripts, whereas anything in \
`localStorage` can. You get logout and revocation for free because the server holds the \
session. Add CSRF protection for state-changing requests.

JWTs shine when *other* services must verify identity without calling you.""",
            """If you do go with JWTs, keep them short-lived and put the refresh token in an \
`HttpOnly` cookie, never in `localStorage`.""",
        ),
    ),
)
