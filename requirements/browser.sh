#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/test_browser.py drive it with Playwright at
# /usr/bin/chromium; `playwright install` is never used). Without apt or root rights this only
# says so: the browser tests then skip with that reason.
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        && exit 0
fi
echo "chromium not installed (needs apt-get as root): browser tests will be skipped" >&2
exit 0
