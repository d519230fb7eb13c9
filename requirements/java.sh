#!/usr/bin/env bash
# Debian's Java 17 runtime for the Spark tests (tests/test_spark.py runs PySpark in local[2]
# mode). Without apt or root rights this only says so: the Spark tests then skip with that reason.
if command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ]; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        openjdk-17-jre-headless >/dev/null && exit 0
fi
echo "java not installed (needs apt-get as root): Spark tests will be skipped" >&2
exit 0
