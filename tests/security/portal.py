"""The portal the scanners attack: a fresh SQLite database in a directory of its own, the
directory and the demo data loaded, gunicorn on a free localhost port, and the demo citizen and
an officer signed in over HTTP the way a person would (password, the SMS code from the outbox,
the authenticator app set up at the officer's first login)."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import requests

from citizen_portal.core.tests.processes import NOT_INHERITED, process_stop
from tests.production.topology import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
# The demo logins (directory/services/demo/accounts.py, published in the README); importing
# them from there would load Django into this process, which only drives the scanners.
DEMO_PASSWORD = "demo-portal-2026"
DEMO_CITIZEN_PHONE = "+923001234567"
OFFICER = "lesco.se"  # the demo's electricity officer in Lahore, where the demo citizen lives
# Complaints over the past year: enough for lists, filters and dashboards to have rows.
HISTORY = 300

# Production's settings except TLS (DEPLOYMENT=local serves plain http, DEBUG off). The limits
# that protect real accounts are raised: the scanners send thousands of wrong passwords and
# requests a minute from one address, and a lockout would only end the scan's own sessions
# (the lockouts and rate limits have their own tests in the suite).
SCAN_SETTINGS = {
    "DEPLOYMENT": "local",
    "TASK_QUEUE": "immediate",  # the SMS with the login code is written before the answer
    "SMS_BACKEND": "outbox",
    "EMAIL_BACKEND": "outbox",
    "AXES_FAILURE_LIMIT": "1000000",
    "LOGIN_PACE_MAX_WAIT_SECONDS": "0",
    "API_RATE_PER_TOKEN": "100000/min",
    "API_RATE_PER_ADDRESS": "100000/min",
    "API_RATE_CODES": "1000/hour",
    "API_RATE_LOGINS": "100000/min",
    "API_RATE_WRITES_PER_TOKEN": "100000/min",
    "LODGE_MAX_PER_HOUR": "100000",
    "LODGE_MAX_PER_DAY": "100000",
    "OPEN311_RATE_POSTS": "100000/min",
    "OPEN311_RATE_READS": "100000/min",
    "OTP_RESEND_INTERVAL_SECONDS": "0",
    "OTP_MAX_PER_HOUR": "1000",
    "OTP_MAX_PER_IP_PER_HOUR": "1000",
    "HELPLINE_LOOKUPS_PER_HOUR": "100000",
    "ACCESSIBILITY_REPORTS_PER_HOUR": "100000",
    "WEB_WORKERS": "3",
    "WEB_TIMEOUT": "30",
}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTP_KEY = re.compile(r'<code dir="ltr">([A-Z2-7]{16,})</code>')
RECOVERY_CODE = re.compile(r"<li><code>([^<]+)</code></li>")


@dataclass
class Login:
    """One signed-in person: the website's cookies and an API token."""

    who: str
    cookies: dict[str, str]
    token: str


@dataclass
class Portal:
    work: Path
    port: int = 0
    env: dict[str, str] = field(default_factory=dict)
    web: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.work / "web.log"

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [PY, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self) -> None:
        """1. Environment, 2. database and demo data, 3. gunicorn, 4. wait for /readyz."""
        self.work.mkdir(parents=True, exist_ok=True)
        inherited = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        inherited.pop("DEBUG", None)
        inherited.pop("DATABASE_URL", None)
        self.port = free_port()
        self.env = {
            **inherited,
            **SCAN_SETTINGS,
            "DJANGO_SETTINGS_MODULE": "citizen_portal.settings",
            "PORTAL_VAR_DIR": str(self.work),
            "DATABASE_URL": f"sqlite:///{self.work / 'portal.sqlite3'}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "WEB_BIND": f"127.0.0.1:{self.port}",
        }
        self.manage("migrate", "--noinput")
        self.manage("load_directory")
        self.manage("seed_demo", "--force", "--history", str(HISTORY))
        with self.log.open("ab") as log:
            self.web = subprocess.Popen(  # noqa: S603
                [PY, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                 "citizen_portal.wsgi:application"],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for("the portal to answer /readyz", self._ready, seconds=60)

    def _ready(self) -> bool:
        assert self.web is not None
        if self.web.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log.read_text(errors='replace')[-3000:]}")
        try:
            return self.client().get(f"{self.base}/readyz", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # still booting
            return False

    def stop(self) -> None:
        if self.web is not None:
            process_stop(self.web)

    def client(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no proxy from the machine's environment
        session.headers["Accept-Language"] = "en"
        return session

    # --- signing in -------------------------------------------------------------------------

    def _sms_code(self, phone: str) -> str:
        outbox = self.work / "outbox" / "sms.jsonl"
        for line in reversed(outbox.read_text("utf-8").splitlines()):
            message = json.loads(line)
            if message["to"] == phone:
                return "".join(ch for ch in message["body"].split(":")[1] if ch.isdigit())[:6]
        raise RuntimeError(f"no SMS to {phone} in {outbox}")

    def _post_form(
        self, session: requests.Session, path: str, data: dict[str, str], page: str = ""
    ) -> str:
        """POST the form on `page` (GET it first if not given, for its CSRF token); returns the
        page it leads to."""
        page = page or session.get(self.base + path, timeout=30).text
        match = CSRF_FIELD.search(page)
        assert match, f"no CSRF field on {path}"
        answer = session.post(
            self.base + path, data={**data, "csrfmiddlewaretoken": match.group(1)}, timeout=30
        )
        answer.raise_for_status()
        return answer.text

    def citizen_login(self) -> Login:
        session = self.client()
        self._post_form(
            session, "/accounts/login/", {"phone": "0300 1234567", "password": DEMO_PASSWORD}
        )
        self._post_form(session, "/accounts/verify/", {"code": self._sms_code(DEMO_CITIZEN_PHONE)})
        # The API token: a code by SMS again, then the code and the password.
        api = self.client()
        challenge = api.post(
            f"{self.base}/api/v1/auth/code/",
            json={"phone": "0300 1234567", "purpose": "login"},
            timeout=30,
        ).json()["challenge"]
        answer = api.post(
            f"{self.base}/api/v1/auth/verify/",
            json={
                "challenge": challenge,
                "code": self._sms_code(DEMO_CITIZEN_PHONE),
                "password": DEMO_PASSWORD,
                "device": "security scan",
            },
            timeout=30,
        )
        return self._login("citizen", session, answer)

    def officer_login(self) -> Login:
        """The first login sets the authenticator app up and shows the recovery codes; one of
        them signs the API in (a TOTP code is accepted once, and the website just used it)."""
        session = self.client()
        self._post_form(
            session, "/accounts/staff/login/", {"username": OFFICER, "password": DEMO_PASSWORD}
        )
        setup = session.get(f"{self.base}/accounts/two-step/setup/", timeout=30).text
        key = TOTP_KEY.search(setup)
        assert key, "no authenticator key on the set-up page"
        # The page already fetched: each GET of it draws a new key.
        codes = self._post_form(
            session,
            "/accounts/two-step/setup/",
            {"code": pyotp.TOTP(key.group(1)).now()},
            page=setup,
        )
        recovery = RECOVERY_CODE.findall(codes)
        assert recovery, "no recovery codes after setting the app up"
        answer = self.client().post(
            f"{self.base}/api/v1/auth/staff/",
            json={
                "username": OFFICER,
                "password": DEMO_PASSWORD,
                "code": recovery[0],
                "device": "security scan",
            },
            timeout=30,
        )
        return self._login("officer", session, answer)

    @staticmethod
    def _login(who: str, session: requests.Session, answer: requests.Response) -> Login:
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"{who}: no API token ({answer.status_code}: {answer.text[:300]})")
        cookies = {c.name: c.value for c in session.cookies if c.value}
        if "sessionid" not in cookies:
            raise RuntimeError(f"{who}: the website did not open a session ({sorted(cookies)})")
        return Login(who=who, cookies=cookies, token=answer.json()["token"])

    def lodge(self, citizen: Login) -> str:
        """A complaint of the demo citizen, for the detail endpoints; returns its reference."""
        answer = self.client().post(
            f"{self.base}/api/v1/complaints/",
            headers={"Authorization": f"Bearer {citizen.token}"},
            json={
                "kind": "complaint",
                "category": "FED-LESCO.BILL.OVER",
                "area": "PK-PB-LHR-LHR",
                "subject": "Bill three times the usual",
                "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
            },
            timeout=30,
        )
        if answer.status_code != 201:
            raise RuntimeError(f"lodging failed ({answer.status_code}: {answer.text[:300]})")
        return str(answer.json()["reference"])

    def session_alive(self, login: Login, path: str) -> bool:
        """Whether `login`'s website session still opens `path` (the scan must not end it)."""
        session = self.client()
        session.cookies.update(login.cookies)
        answer = session.get(self.base + path, timeout=30, allow_redirects=False)
        return answer.status_code == 200

    def token_alive(self, login: Login, path: str) -> bool:
        """Whether `login`'s API token still opens `path`: sqlmap needs it after wapiti, and an
        endpoint answering 401 to every payload would pass for a clean one."""
        answer = self.client().get(
            self.base + path, headers={"Authorization": f"Bearer {login.token}"}, timeout=30
        )
        return answer.status_code == 200

    def csrf_refused(self, login: Login, path: str) -> bool:
        """Whether a POST to `path` in `login`'s session, with the CSRF cookie but a wrong
        token in the form, is refused (403) before the view runs."""
        if "csrftoken" not in login.cookies:
            raise RuntimeError(f"{login.who}: no CSRF cookie to send ({sorted(login.cookies)})")
        session = self.client()
        session.cookies.update(login.cookies)
        answer = session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": "wapiti" * 8},
            timeout=30,
            allow_redirects=False,
        )
        return answer.status_code == 403
