import re
import unittest
from pathlib import Path

from app import DEFAULT_PORT, create_app, port_from_env

APP_DIR = Path(__file__).resolve().parent.parent


class RoutesTest(unittest.TestCase):
    def setUp(self):
        self.client = create_app().test_client()

    def test_root_says_hello(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_json(), {"message": "Hello from the CI pipeline!"})

    def test_health_reports_ok(self):
        response = self.client.get("/health")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_json(), {"status": "ok"})

    def test_unknown_route_is_404(self):
        self.assertEqual(self.client.get("/nope").status_code, 404)

    def test_routes_reject_post(self):
        self.assertEqual(self.client.post("/health").status_code, 405)


class PortTest(unittest.TestCase):
    def test_default_port_when_unset_or_blank(self):
        self.assertEqual(port_from_env({}), DEFAULT_PORT)
        self.assertEqual(port_from_env({"PORT": "  "}), DEFAULT_PORT)

    def test_port_from_environment(self):
        self.assertEqual(port_from_env({"PORT": "9090"}), 9090)

    def test_invalid_port_is_rejected_with_its_value(self):
        for bad in ("abc", "0", "65536", "-1", "80.5"):
            with self.subTest(bad=bad):
                with self.assertRaisesRegex(ValueError, re.escape(repr(bad))):
                    port_from_env({"PORT": bad})


class ContainerContractTest(unittest.TestCase):
    """What the Dockerfile promises must agree with the app."""

    def setUp(self):
        self.dockerfile = (APP_DIR / "Dockerfile").read_text()

    def test_exposed_port_is_the_default_port(self):
        self.assertEqual(re.findall(r"^EXPOSE\s+(\d+)", self.dockerfile, re.M), [str(DEFAULT_PORT)])
        self.assertIn(f"PORT={DEFAULT_PORT}", self.dockerfile)

    def test_runs_as_non_root_with_gunicorn(self):
        users = re.findall(r"^USER\s+(\S+)", self.dockerfile, re.M)
        self.assertTrue(users and users[-1] not in ("root", "0"))
        self.assertRegex(self.dockerfile, re.compile(r'^CMD \["gunicorn"', re.M))

    def test_dependencies_are_pinned_hashed_and_installed_without_cache(self):
        text = (APP_DIR / "requirements.txt").read_text()
        # Logical lines: a trailing backslash continues the entry, "#" starts a comment (pip's file format).
        joined = re.sub(r"\\\n", " ", re.sub(r"(?m)^\s*#.*$", "", text))
        entries = [" ".join(entry.split()) for entry in joined.splitlines() if entry.strip()]
        self.assertTrue(entries)
        for entry in entries:
            with self.subTest(entry=entry.split()[0]):
                self.assertRegex(entry, r"^[A-Za-z0-9_.-]+==[\w.]+( --hash=sha256:[0-9a-f]{64})+$")
        self.assertIn("pip install --no-cache-dir --require-hashes", self.dockerfile)

    def test_image_contains_what_the_server_imports(self):
        ignored = (APP_DIR / ".dockerignore").read_text()
        for needed in ("app.py", "gunicorn.conf.py", "requirements.txt"):
            self.assertIn(f"!{needed}", ignored)
            self.assertIn(needed, self.dockerfile)


if __name__ == "__main__":
    unittest.main()
