"""Load: the site under gunicorn (several workers) on loopback, driven by wrk.

Runs three mixes for the same time with the same connections, and prints requests/s, latency
percentiles and errors, with p50 and p99 as ratios to a baseline measured in the same run
(a static stylesheet, the cheapest thing the server does):

  baseline     GET /static/style.css
  pages        searches (the development queries), practice, guideline and city pages
  with-posts   the same, with one request in ten posting a lesson (CSRF token and session cookie)

Needs wrk (apt-get install wrk) and the dev extra (gunicorn). Traffic goes to 127.0.0.1 only.
Usage: .venv/bin/python bench/load_bench.py [--seconds 30] [--connections 50] [--workers 4]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb import config, loader  # noqa: E402
from search import evaluate, pipeline  # noqa: E402

LUA = r"""
local paths = {PATHS}
local post_share = {POST_SHARE}
local body = {BODY}
local cookie = {COOKIE}
local counter = 0
request = function()
  counter = counter + 1
  if post_share > 0 and counter % post_share == 0 then
    return wrk.format("POST", "/lessons/new",
      {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie}, body)
  end
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this ASCII content


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"server at {url} did not start")


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": requests,
        "p50": ms("50"),
        "p90": ms("90"),
        "p99": ms("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def lesson_session(base: str) -> tuple[str, str]:
    """A session cookie and its CSRF token, as a browser would have them."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/lessons/new").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    body = urllib.parse.urlencode(
        {
            "csrf_token": token,
            "name": "Load test",
            "practice_id": "bogota-ciclovia",
            "tried": "A lesson posted by the load benchmark.",
            "happened": "It was stored.",
        }
    )
    return cookie, body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="default: one per core")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="kb-load-"))
    server = None
    try:
        paths = config.paths(ROOT / "practices", tmp / "var")
        pipeline.build(paths, setting=os.environ.get("KB_MODEL", "domain"), progress=lambda m: None)
        practices = [p.id for p in loader.load(paths.practices).practices]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "KB_DATA_DIR": str(paths.data),
            "KB_PRACTICES_DIR": str(paths.practices),
            "KB_SECRET_KEY": "load-bench",
            "KB_SUBMISSION_LIMIT": "100000000",
            "OMP_NUM_THREADS": "1",
        }
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "web:create_app()",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for(base + "/")

        queries = [q.text for q in evaluate.read_queries(evaluate.EVAL_DIR / "queries.tsv")]
        mix = [f"/search?q={urllib.parse.quote_plus(q)}" for q in queries]
        mix += [f"/practices/{p}" for p in practices]
        mix += ["/guidelines/26.c.a.g", "/guidelines/IV.C", "/guidelines/25.a.d", "/guidelines/28.a.i"]
        mix += ["/cities/medellin-co", "/cities/chicago-us", "/cities/cape-town-za", "/cities/delhi-in"]
        mix += ["/api/search?q=police+trust", "/search?q=violence&region=africa&rating=effective"]
        cookie, body = lesson_session(base)
        for url in mix[:5]:
            urllib.request.urlopen(base + url).read()  # warm each worker's first request path

        results = {}
        for name, paths_list, post_share in (
            ("baseline", ["/static/style.css"], 0),
            ("pages", mix, 0),
            ("with-posts", mix, 10),
        ):
            script = tmp / f"{name}.lua"
            script.write_text(
                LUA.replace("{PATHS}", "{" + ", ".join(lua_string(p) for p in paths_list) + "}")
                .replace("{POST_SHARE}", str(post_share))
                .replace("{BODY}", lua_string(body))
                .replace("{COOKIE}", lua_string(cookie))
            )
            results[name] = run_wrk(base, script, args.seconds, args.connections)

        stored = json.loads(urllib.request.urlopen(base + "/api/practices?per_page=1").read())["total"]
        baseline = results["baseline"]
        print(
            f"# Load ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, gunicorn {args.workers} workers, "
            f"wrk 2 threads, {args.connections} connections, {args.seconds} s per mix)\n"
        )
        print("| mix | requests | req/s | p50 ms | p90 ms | p99 ms | errors | p50 / baseline | p99 / baseline |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, r in results.items():
            print(
                f"| {name} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
                f"| {r['errors']} | {r['p50'] / baseline['p50']:.1f} | {r['p99'] / baseline['p99']:.1f} |"
            )
        from kb.community import Community

        with Community(paths.community_database).store.transaction() as conn:
            lessons = conn.value("select count(*) from lessons where status = 'pending'")
        posted = results["with-posts"]["requests"] // 10
        print(
            f"\nlessons stored during the with-posts mix: {lessons} (about {posted} posted); practices served: {stored}"
        )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
