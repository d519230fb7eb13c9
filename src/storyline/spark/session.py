"""Starting Spark for storyline: PySpark is an optional extra and needs Java (17 is tested)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any


class SparkUnavailable(RuntimeError):
    """PySpark or Java is missing: says what to install."""


def check_available() -> None:
    """Raise :class:`SparkUnavailable` naming what is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(
            'PySpark is not installed: pip install "storyline[spark]"') from exc
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable(
            "Java is not installed (Spark needs Java 17): bash requirements/java.sh, or set "
            "JAVA_HOME")


def session(master: str | None = "local[2]", app_name: str = "storyline",
            conf: dict[str, str] | None = None) -> Any:
    """A SparkSession; ``master`` None leaves it to ``spark-submit``. Executors run this Python
    (``PYSPARK_PYTHON``) unless the environment already says otherwise."""
    check_available()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        # small lakes stay small: no 200 empty shuffle partitions
        "spark.sql.shuffle.partitions": "8",
        **(conf or {}),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
