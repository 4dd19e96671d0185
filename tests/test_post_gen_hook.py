import stat
import subprocess
import sys
from pathlib import Path

import pytest


def test_fill_secrets_fills_only_empty_secret_lines(post_gen):
    example = "# DJANGO_SECRET_KEY= in a comment\nDJANGO_SECRET_KEY=\nDJANGO_DEBUG=True\nOTHER=\n"

    filled = post_gen.fill_secrets(example, make_secret=lambda: "s3cr3t")

    assert filled == "# DJANGO_SECRET_KEY= in a comment\nDJANGO_SECRET_KEY=s3cr3t\nDJANGO_DEBUG=True\nOTHER=\n"


def test_fill_secrets_makes_a_fresh_url_safe_secret_each_time(post_gen):
    first, second = (post_gen.fill_secrets("DJANGO_SECRET_KEY=\n") for _ in range(2))

    assert first != second
    secret = first.strip().split("=", 1)[1]
    assert len(secret) >= 50
    assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


REQUIREMENTS = """Django>=5.2
# Argon2.
argon2-cffi>=23.1
# PostgreSQL's driver.
psycopg[binary]>=3.2,<4
redis>=5
"""


def test_sqlite_projects_lose_the_postgresql_driver_and_its_comment(post_gen):
    kept = post_gen.drop_unchosen_packages(REQUIREMENTS, {"sqlite", "redis"})

    assert kept == "Django>=5.2\n# Argon2.\nargon2-cffi>=23.1\nredis>=5\n"


def test_local_cache_projects_lose_the_redis_client(post_gen):
    kept = post_gen.drop_unchosen_packages(REQUIREMENTS, {"postgresql", "local"})

    assert kept == REQUIREMENTS.replace("redis>=5\n", "")


def test_projects_that_choose_every_option_keep_every_package(post_gen):
    assert post_gen.drop_unchosen_packages(REQUIREMENTS, {"postgresql", "redis"}) == REQUIREMENTS


# The answers of a default bake.
DEFAULT_ANSWERS = {
    "database": "sqlite",
    "cache": "local",
    "email_verification": "none",
    "use_google_login": False,
    "use_kakao_login": False,
    "use_docker": False,
    "use_github_actions": False,
}


@pytest.mark.parametrize(
    ("answers", "options"),
    [
        ({}, {"sqlite", "local"}),
        ({"database": "postgresql", "cache": "redis"}, {"postgresql", "redis"}),
        ({"use_google_login": True}, {"sqlite", "local", "google", "social"}),
        ({"use_kakao_login": True}, {"sqlite", "local", "kakao", "social"}),
        ({"use_google_login": True, "use_kakao_login": True}, {"sqlite", "local", "google", "kakao", "social"}),
        ({"email_verification": "optional"}, {"sqlite", "local", "verification"}),
        ({"email_verification": "mandatory"}, {"sqlite", "local", "verification"}),
        ({"use_docker": True, "use_github_actions": True}, {"sqlite", "local", "docker", "github_actions"}),
    ],
)
def test_chosen_options_name_every_choice_that_has_files_or_packages(post_gen, answers, options):
    assert post_gen.chosen_options({**DEFAULT_ANSWERS, **answers}) == options


def test_the_paths_of_options_not_chosen_go_and_the_others_stay(post_gen, tmp_path, monkeypatch):
    (tmp_path / "social").mkdir()
    (tmp_path / "social" / "views.py").write_text("")
    (tmp_path / "google.py").write_text("")
    (tmp_path / "kakao.py").write_text("")
    monkeypatch.setattr(
        post_gen,
        "OPTION_PATHS",
        {"social": (Path("social"),), "google": (Path("google.py"),), "kakao": (Path("kakao.py"), Path("gone.py"))},
    )

    post_gen.remove_unchosen_paths(tmp_path, {"social", "google"})

    assert sorted(path.name for path in tmp_path.iterdir()) == ["google.py", "social"]


PROJECT_TEMPLATE = Path(__file__).resolve().parent.parent / "{{cookiecutter.project_slug}}"


def test_every_option_path_is_in_the_template(post_gen):
    missing = [
        str(path)
        for paths in post_gen.OPTION_PATHS.values()
        for path in paths
        if not (PROJECT_TEMPLATE / path).exists()
    ]

    assert missing == []


def option_tree(post_gen, root):
    """An empty file or folder at every path of OPTION_PATHS, under root."""
    for paths in post_gen.OPTION_PATHS.values():
        for path in paths:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if (PROJECT_TEMPLATE / path).is_dir():
                target.mkdir(exist_ok=True)
            else:
                target.write_text("")


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("chosen", "kept"),
    [
        ({"sqlite"}, []),
        (
            {"sqlite", "social", "google"},
            ["accounts/social/google.py", "accounts/tests/social.py", "accounts/tests/test_google_login.py"],
        ),
        (
            {"sqlite", "social", "kakao"},
            ["accounts/social/kakao.py", "accounts/tests/social.py", "accounts/tests/test_kakao_login.py"],
        ),
    ],
)
def test_each_provider_keeps_its_own_files_and_the_shared_ones(post_gen, tmp_path, chosen, kept):
    option_tree(post_gen, tmp_path)

    post_gen.remove_unchosen_paths(tmp_path, chosen)

    settings = {"google": "config/settings/google.py", "kakao": "config/settings/kakao.py"}
    expected = kept + [settings[option] for option in sorted(chosen & settings.keys())]
    if "social" in chosen:
        expected.append("config/settings/social.py")
    assert files_under(tmp_path) == sorted(expected)
    assert (tmp_path / "accounts" / "social").is_dir() == ("social" in chosen)


def test_removing_the_paths_again_is_safe(post_gen, tmp_path):
    option_tree(post_gen, tmp_path)

    post_gen.remove_unchosen_paths(tmp_path, {"sqlite"})
    post_gen.remove_unchosen_paths(tmp_path, {"sqlite"})

    assert files_under(tmp_path) == []


def test_projects_without_a_provider_lose_the_test_library_that_simulates_one(post_gen):
    local = "-r base.txt\npytest>=9\n# Only for social login.\nresponses>=0.25,<1\nruff==0.17.6\n"

    assert post_gen.drop_unchosen_packages(local, {"sqlite"}) == "-r base.txt\npytest>=9\nruff==0.17.6\n"
    assert post_gen.drop_unchosen_packages(local, {"sqlite", "social", "kakao"}) == local


def test_every_option_package_is_in_the_requirements_it_is_dropped_from(post_gen):
    listed = {
        post_gen.requirement_name(line)
        for requirements in post_gen.OPTION_REQUIREMENTS
        for line in (PROJECT_TEMPLATE / requirements).read_text().splitlines()
    }

    assert set(post_gen.OPTION_PACKAGES.values()) <= listed


@pytest.mark.parametrize(
    ("line", "name"),
    [("psycopg[binary]>=3.2", "psycopg"), ("Django>=5.2", "django"), ("# psycopg", None), ("-r base.txt", None)],
)
def test_requirement_name(post_gen, line, name):
    assert post_gen.requirement_name(line) == name


def test_write_env_file_creates_a_private_env_once(post_gen, tmp_path):
    (tmp_path / ".env.example").write_text("DJANGO_SECRET_KEY=\n")

    assert post_gen.write_env_file(tmp_path) is True
    first = (tmp_path / ".env").read_text()
    assert first.startswith("DJANGO_SECRET_KEY=")
    assert first != "DJANGO_SECRET_KEY=\n"
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600

    # Running the hook again (cruft update) keeps the existing secrets.
    assert post_gen.write_env_file(tmp_path) is False
    assert (tmp_path / ".env").read_text() == first


def test_django_env_drops_the_shells_project_variables(post_gen, tmp_path):
    (tmp_path / ".env.example").write_text("DJANGO_SECRET_KEY=\n# DATABASE_URL=postgres://...\nEMAIL_URL=x\n")
    shell = {
        "PATH": "/usr/bin",
        "DATABASE_URL": "postgres://elsewhere/db",
        "EMAIL_URL": "smtp://elsewhere",
        "DJANGO_SETTINGS_MODULE": "other.settings",
        "DJANGO_SUPERUSER_PASSWORD": "kept",
    }

    assert post_gen.django_env(tmp_path, shell) == {
        "PATH": "/usr/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SUPERUSER_PASSWORD": "kept",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@pytest.mark.xdist_group("default")
def test_one_django_process_runs_every_step_with_the_running_interpreter(post_gen, default_project):
    env = post_gen.django_env(default_project)
    plan = {"steps": ["makemigrations", "migrate"], "superuser_email": None, "prompt": False}
    reported = []

    done = post_gen.run_django(Path(sys.executable), default_project, env, plan, lambda *step: reported.append(step))

    assert done.done == ["django", "makemigrations", "migrate"]
    assert [step for step, _ in reported] == done.done
    assert all(seconds >= 0 for _, seconds in reported)
    assert not (default_project / ".venv").exists()


@pytest.mark.xdist_group("default")
def test_a_failing_django_step_is_named_with_its_command_and_error(post_gen, default_project, tmp_path):
    # A database in a folder that does not exist: Django starts, migrate cannot open it.
    env = {**post_gen.django_env(default_project), "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3"}
    plan = {"steps": ["makemigrations", "migrate"], "superuser_email": None, "prompt": False}
    reported = []

    with pytest.raises(post_gen.SetupError) as raised:
        post_gen.run_django(Path(sys.executable), default_project, env, plan, lambda step, _: reported.append(step))

    assert reported == ["django", "makemigrations"]
    assert raised.value.step == "migrate"
    assert raised.value.command == f"{sys.executable} manage.py migrate --no-input"
    assert raised.value.reason == "django.db.utils.OperationalError: unable to open database file"


@pytest.mark.xdist_group("default")
def test_a_python_without_django_is_told_apart_from_a_failure(post_gen, default_project, tmp_path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path / "bare"], check=True)
    plan = {"steps": ["makemigrations"], "superuser_email": None, "prompt": False}

    with pytest.raises(post_gen.MissingRequirementsError, match="No module named 'django'"):
        post_gen.run_django(
            tmp_path / "bare" / "bin" / "python", default_project, post_gen.django_env(default_project), plan, print
        )


def test_run_raises_setup_error_with_the_last_line_of_output(post_gen, tmp_path):
    with pytest.raises(post_gen.SetupError, match="failed: boom") as raised:
        post_gen.run("install", [sys.executable, "-c", "import sys; sys.exit('first\\nboom')"], tmp_path)

    assert raised.value.step == "install"
    assert raised.value.reason == "boom"
    assert raised.value.command.startswith(f"{sys.executable} -c ")


def test_run_reports_a_missing_program(post_gen, tmp_path):
    with pytest.raises(post_gen.SetupError, match="no-such-program"):
        post_gen.run("makemigrations", ["no-such-program"], tmp_path)


def test_every_step_by_hand_when_nothing_could_be_installed(post_gen):
    steps = post_gen.manual_steps("virtualenv", post_gen.step_commands(".venv/bin/python"))

    assert steps == [
        "python3 -m venv .venv",
        ".venv/bin/python -m pip install -r requirements/local.txt",
        ".venv/bin/python manage.py makemigrations accounts",
        ".venv/bin/python manage.py migrate",
    ]
    with_superuser = post_gen.manual_steps(
        "virtualenv", post_gen.step_commands(".venv/bin/python", None, "a@example.com")
    )
    assert with_superuser == [*steps, ".venv/bin/python manage.py createsuperuser --email=a@example.com"]
    # An address is quoted for the shell: pasting the step must not run anything.
    odd_address = post_gen.step_commands(".venv/bin/python", None, "-a$(id)@example.com")
    with_odd_address = post_gen.manual_steps("virtualenv", odd_address)
    assert with_odd_address[-1].endswith("--email='-a$(id)@example.com'")


def test_a_virtualenv_that_was_made_is_not_made_again(post_gen):
    assert post_gen.manual_steps("install", post_gen.step_commands(".venv/bin/python")) == [
        ".venv/bin/python -m pip install -r requirements/local.txt",
        ".venv/bin/python manage.py makemigrations accounts",
        ".venv/bin/python manage.py migrate",
    ]


CREATEDB = "createdb --host=127.0.0.1 --port=5432 --username=postgres shop"


def test_a_failed_migrate_of_postgresql_starts_by_creating_the_database(post_gen):
    steps = post_gen.manual_steps("migrate", post_gen.step_commands("/usr/bin/python3", CREATEDB, "a@example.com"))

    assert steps == [
        CREATEDB,
        "/usr/bin/python3 manage.py migrate",
        "/usr/bin/python3 manage.py createsuperuser --email=a@example.com",
    ]


def test_postgresql_steps_create_the_database_before_migrate(post_gen):
    steps = post_gen.manual_steps("makemigrations", post_gen.step_commands(".venv/bin/python", CREATEDB))

    assert steps == [
        ".venv/bin/python manage.py makemigrations accounts",
        CREATEDB,
        ".venv/bin/python manage.py migrate",
    ]


def test_a_failed_superuser_leaves_only_that_step(post_gen):
    commands = post_gen.step_commands(".venv/bin/python", CREATEDB, "a@example.com")
    steps = post_gen.manual_steps("createsuperuser", commands)

    assert steps == [".venv/bin/python manage.py createsuperuser --email=a@example.com"]


def test_steps_name_the_virtualenvs_python_by_its_relative_path_and_any_other_in_full(post_gen, tmp_path):
    assert post_gen.shown_python(tmp_path / ".venv" / "bin" / "python", tmp_path) == ".venv/bin/python"
    assert post_gen.shown_python(Path("/opt/my python/bin/python3"), tmp_path) == "'/opt/my python/bin/python3'"


@pytest.mark.parametrize(
    ("database_url", "command"),
    [
        ("postgres://postgres@127.0.0.1:5432/shop", CREATEDB),
        ("postgresql://ada:s3cret@db.example.com/my%20db", "createdb --host=db.example.com --username=ada 'my db'"),
        ("postgres:///shop", "createdb shop"),
        ("postgres://[::1]:6543/shop", "createdb --host=::1 --port=6543 shop"),
        ("sqlite:///db.sqlite3", None),
        ("postgres://127.0.0.1:5432/", None),
        (None, None),
    ],
)
def test_createdb_command_names_the_database_of_a_postgresql_url_but_never_its_password(
    post_gen, database_url, command
):
    assert post_gen.createdb_command(database_url) == command


def test_env_file_value_reads_the_last_assignment_unquoted(post_gen):
    env_text = '# DATABASE_URL=commented\nDATABASE_URL=first\nOTHER=x\nexport DATABASE_URL = "postgres://h/db"\n'

    assert post_gen.env_file_value(env_text, "DATABASE_URL") == "postgres://h/db"
    assert post_gen.env_file_value(env_text, "OTHER") == "x"
    assert post_gen.env_file_value(env_text, "MISSING") is None
    assert post_gen.env_file_value("# DATABASE_URL=postgres://h/db\n", "DATABASE_URL") is None


def test_the_failure_report_names_the_step_its_command_and_what_remains(post_gen, tmp_path):
    error = post_gen.SetupError("migrate", "python manage.py migrate --no-input", 'database "shop" does not exist')

    report = post_gen.failure_report(error, tmp_path, [CREATEDB, "python manage.py migrate"])

    assert report.splitlines() == [
        "Could not finish the setup automatically: the step 'migrate the database' failed.",
        "    Command: python manage.py migrate --no-input",
        '    Error: database "shop" does not exist',
        f"To finish it, run in {tmp_path}:",
        f"    {CREATEDB}",
        "    python manage.py migrate",
    ]


LICENSE_TEXTS = {"MIT": "MIT text\n", "Apache-2.0": "Apache text\n"}


def write_licenses(project_dir):
    licenses = project_dir / "licenses"
    licenses.mkdir()
    for name, text in LICENSE_TEXTS.items():
        (licenses / name).write_text(text)


@pytest.mark.parametrize("choice", list(LICENSE_TEXTS))
def test_the_chosen_license_becomes_license_and_the_others_go(post_gen, tmp_path, choice):
    write_licenses(tmp_path)

    post_gen.install_license(tmp_path, choice)

    assert (tmp_path / "LICENSE").read_text() == LICENSE_TEXTS[choice]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["LICENSE"]


def test_without_an_open_source_license_there_is_no_license_file(post_gen, tmp_path):
    write_licenses(tmp_path)

    post_gen.install_license(tmp_path, "Not open source")

    assert list(tmp_path.iterdir()) == []


def test_installing_the_license_again_is_safe(post_gen, tmp_path):
    write_licenses(tmp_path)
    post_gen.install_license(tmp_path, "MIT")

    # The hook runs again over the same folder: nothing left to move.
    post_gen.install_license(tmp_path, "MIT")
    assert (tmp_path / "LICENSE").read_text() == LICENSE_TEXTS["MIT"]

    # cookiecutter --overwrite-if-exists renders licenses/ again over the project.
    write_licenses(tmp_path)
    post_gen.install_license(tmp_path, "Apache-2.0")
    assert (tmp_path / "LICENSE").read_text() == LICENSE_TEXTS["Apache-2.0"]
    assert not (tmp_path / "licenses").exists()

    # A LICENSE of its own stays when the project is not open source.
    write_licenses(tmp_path)
    post_gen.install_license(tmp_path, "Not open source")
    assert (tmp_path / "LICENSE").read_text() == LICENSE_TEXTS["Apache-2.0"]
    assert not (tmp_path / "licenses").exists()


GIT_STEPS = [["git", "init"], ["git", "add", "--all"], ["git", "commit", "-m", "First"]]


def test_the_first_commit_follows_the_migration_and_comes_before_the_database(post_gen):
    commands = post_gen.step_commands(".venv/bin/python", CREATEDB, git=GIT_STEPS)

    assert post_gen.manual_steps("makemigrations", commands) == [
        ".venv/bin/python manage.py makemigrations accounts",
        "git init && git add --all && git commit -m First",
        CREATEDB,
        ".venv/bin/python manage.py migrate",
    ]
    # Once the migration is written the hook commits, whatever becomes of migrate.
    assert post_gen.manual_steps("migrate", commands) == [CREATEDB, ".venv/bin/python manage.py migrate"]


def test_a_virtualenv_without_pip_is_made_whole_before_pip_installs(post_gen):
    commands = post_gen.step_commands(".venv/bin/python")

    for failed in ("uv", "install"):
        steps = post_gen.manual_steps(failed, commands, venv_has_pip=False)
        assert steps[:2] == ["python3 -m venv .venv", ".venv/bin/python -m pip install -r requirements/local.txt"]
        # With pip in .venv, pip installs the requirements itself: uv has no step by hand.
        assert post_gen.manual_steps(failed, commands)[0] == steps[1]


def test_a_failed_start_of_django_leaves_the_django_steps(post_gen):
    steps = post_gen.manual_steps("django", post_gen.step_commands(".venv/bin/python"))

    assert steps == [".venv/bin/python manage.py makemigrations accounts", ".venv/bin/python manage.py migrate"]


@pytest.mark.parametrize(
    ("step", "command"),
    [
        ("django", "/usr/bin/python3 manage.py check"),
        ("makemigrations", "/usr/bin/python3 manage.py makemigrations accounts"),
        ("migrate", "/usr/bin/python3 manage.py migrate --no-input"),
        ("createsuperuser", "/usr/bin/python3 manage.py createsuperuser --no-input '--email=a b@example.com'"),
    ],
)
def test_each_django_step_is_named_by_the_manage_py_command_it_stands_for(post_gen, step, command):
    assert post_gen.manage_command("/usr/bin/python3", step, "a b@example.com") == command


class ConnectionFailedError(Exception):
    pass


def test_an_error_is_summed_up_on_one_line_with_its_type(post_gen):
    assert post_gen.error_summary(ValueError("first\n  second")) == "ValueError: first second"
    assert post_gen.error_summary(ConnectionFailedError()) == f"{__name__}.ConnectionFailedError"


@pytest.mark.parametrize(
    ("version", "can"), [("22.3", True), ("23.2.1", True), ("25.0", True), ("22.2.2", False), ("9.0.1", False)]
)
def test_pip_installs_into_another_environment_from_22_3_on(post_gen, version, can):
    assert post_gen.pip_can_install_elsewhere(version) is can


@pytest.mark.parametrize(
    ("parent", "commit", "render"),
    [
        ("tmpab_3x9z1", "0123abc", True),  # cruft update's render, in a directory of tempfile's
        ("tmpab_3x9z1", None, False),  # cookiecutter alone sets no commit
        ("projects", "0123abc", False),  # cruft create into a folder of the person's
        ("tmp.Xy12abcdEF", "0123abc", False),  # mktemp's name: someone's own temporary folder
    ],
)
def test_only_the_renders_of_cruft_update_are_told_apart(post_gen, tmp_path, parent, commit, render):
    project = tmp_path / parent / "my_auth_api"
    project.mkdir(parents=True)

    assert post_gen.is_cruft_render(project, commit, temporary_root=tmp_path) is render
    # One level deeper than tempfile's directories is a folder of the person's.
    deeper = tmp_path / "work" / parent / "my_auth_api"
    deeper.mkdir(parents=True)
    assert post_gen.is_cruft_render(deeper, commit, temporary_root=tmp_path) is False


def git_isolated(monkeypatch, home):
    """No global or system git configuration: no identity, as on a fresh machine."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "missing-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def git_output(directory, *arguments):
    return subprocess.run(["git", *arguments], cwd=directory, capture_output=True, text=True, check=True).stdout


def test_the_first_commit_needs_no_git_identity_and_leaves_out_what_git_ignores(post_gen, tmp_path, monkeypatch):
    git_isolated(monkeypatch, tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / ".gitignore").write_text(".env\ndb.sqlite3\n")
    for name in ("manage.py", ".env", "db.sqlite3"):
        (project / name).write_text("")

    seconds = post_gen.make_first_commit(project, "Zoë O'Brien", "zoe@example.org")

    assert seconds > 0
    assert git_output(project, "log", "--format=%an <%ae>|%s").strip() == (
        f"Zoë O'Brien <zoe@example.org>|{post_gen.FIRST_COMMIT_MESSAGE}"
    )
    assert git_output(project, "ls-files").split() == [".gitignore", "manage.py"]
    assert git_output(project, "status", "--porcelain") == ""
    assert post_gen.work_tree_around(project) == project
    inner = project / "inner"
    inner.mkdir()
    assert post_gen.work_tree_around(inner) == project
    assert post_gen.work_tree_around(tmp_path) is None


def test_the_first_commit_by_hand_is_the_authors_too(post_gen):
    assert post_gen.git_steps("Zoë O'Brien", "zoe@example.org") == [
        ["git", "init"],
        ["git", "add", "--all"],
        [
            "git",
            "-c",
            "user.name=Zoë O'Brien",
            "-c",
            "user.email=zoe@example.org",
            "commit",
            "-m",
            post_gen.FIRST_COMMIT_MESSAGE,
        ],
    ]


def test_a_failed_git_step_names_its_command(post_gen, tmp_path):
    # A file named .git: git init cannot make a repository here.
    (tmp_path / ".git").write_text("")

    with pytest.raises(post_gen.SetupError) as raised:
        post_gen.make_first_commit(tmp_path, "Ada", "ada@example.com")

    assert raised.value.step == "git"
    assert raised.value.command == "git init"


@pytest.mark.parametrize(
    ("start", "shown"),
    [
        ("/home/ada", "projects/my_auth_api"),
        ("/home/ada/projects/my_auth_api", "."),
        ("/srv", "/home/ada/projects/my_auth_api"),
        (None, "/home/ada/projects/my_auth_api"),
    ],
)
def test_cd_takes_the_project_relative_to_the_shells_folder_when_it_is_inside(post_gen, start, shown):
    assert post_gen.shown_directory(Path("/home/ada/projects/my_auth_api"), start) == shown


def test_a_folder_with_a_space_is_quoted_for_cd(post_gen):
    assert post_gen.shown_directory(Path("/home/ada/my projects/api"), "/home/ada") == "'my projects/api'"


def test_each_step_is_one_line_with_its_duration(post_gen):
    assert post_gen.step_line("migrate", 0.3649) == f"  {'migrate the database':<52}  0.36 s"
    described = "start Django (with .venv's Python)"
    assert post_gen.step_line("django", 1.5, "with .venv's Python") == f"  {described:<52}  1.50 s"


def test_next_steps_activate_a_new_virtualenv_or_name_the_python_that_runs_the_project(post_gen):
    assert post_gen.next_steps("my_auth_api", None, cruft=False) == [
        "Next steps:",
        "  cd my_auth_api",
        f"  {post_gen.ACTIVATE}",
        "  make serve   # then open http://127.0.0.1:8000/api/docs/",
        "  make test",
    ]
    with_python = post_gen.next_steps("my_auth_api", "/usr/bin/python3", cruft=True)
    assert with_python == [
        "Next steps:",
        "  cd my_auth_api",
        "  git add .cruft.json && git commit -m 'Track the template with cruft'",
        "  make serve PYTHON=/usr/bin/python3   # then open http://127.0.0.1:8000/api/docs/",
        "  make test PYTHON=/usr/bin/python3",
    ]


def a_setup(post_gen, project_dir):
    answers = {
        "author_name": "Ada",
        "email": "ada@example.com",
        "init_git": True,
        "create_superuser": False,
        "superuser_email": "",
    }
    return post_gen.Setup(project_dir, answers, {}, interactive=False)


def test_a_step_beside_django_that_fails_is_tried_again_after_django(post_gen, tmp_path, capsys):
    setup = a_setup(post_gen, tmp_path)

    def fails():
        raise post_gen.SetupError("tools", "uv pip install ...", "a version conflict")

    setup.start_beside("tools", fails)
    setup.retries["tools"] = lambda: 1.25

    assert setup.finish_beside() == []
    assert capsys.readouterr().out == post_gen.step_line("tools", 1.25) + "\n"


@pytest.mark.parametrize(
    ("step", "remaining"),
    [
        ("tools", ".venv/bin/python -m pip install -r requirements/local.txt"),
        (
            "git",
            "git init && git add --all && git -c user.name=Ada -c user.email=ada@example.com commit -m "
            "'Bake the project from cookiecutter-django-auth'",
        ),
    ],
)
def test_a_step_beside_django_that_fails_leaves_only_itself_to_do(post_gen, tmp_path, step, remaining):
    setup = a_setup(post_gen, tmp_path)
    error = post_gen.SetupError(step, f"{step} ...", "offline")

    def fails():
        raise error

    setup.start_beside(step, fails)

    assert setup.finish_beside() == [error]
    assert setup.remaining(error) == [remaining]
