"""``storyline serve``: the REST API and web UI, with ``--watch`` polling feeds beside it."""

from __future__ import annotations

import signal
from typing import Annotated, Any

import typer

from storyline.cli.common import DbOption, _fail, _store, app, err
from storyline.errors import Msg, StorylineError


def _check_port(host: str, port: int) -> None:
    """E118 when the address cannot be listened on (a port in use), before saying we serve."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise StorylineError(Msg.E118, host=host, port=port, detail=str(exc)) from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise StorylineError(Msg.E118, host=host, port=port,
                                 detail=exc.strerror or str(exc)) from exc


@app.command()
def serve(
    db: DbOption = "storyline.db",
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    watch: Annotated[list[str] | None, typer.Option(
        "--watch", help="A feed or sitemap URL, or a file listing them, to poll in the "
                        "background while serving (repeatable); see storyline watch.")] = None,
    every: Annotated[str, typer.Option(help="With --watch: time between polls.")] = "15m",
    delay: Annotated[float, typer.Option(
        help="With --watch: seconds between two requests to one host.")] = 1.0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="With --watch: fetch from private and loopback addresses too.")
    ] = False,
) -> None:
    """Serve the REST API (/api/, docs at /docs) and the web UI over the store; with --watch,
    keep it current from feeds in the same process (status at /status)."""
    import uvicorn

    from storyline.serve.app import create_app

    try:
        _store(db, create=True)  # fail early with a clear message on a bad database
        _check_port(host, port)
    except StorylineError as exc:
        raise _fail(exc) from exc
    background = _background_watch(db, watch, every, delay, allow_private) if watch else None
    err.print(f"storyline on http://{host}:{port}/ (API docs: /docs) over {db}"
              + (f"; watching {len(watch or [])} feed source(s) every {every}" if watch else ""),
              highlight=False, markup=False)
    # uvicorn shuts down on SIGTERM, then raises the signal again for the handler it found:
    # this one, so the watcher stops cleanly and the command exits 0 (not killed by the signal)
    terminated: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: terminated.append(signum))
    try:
        uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if background is not None:
            background.stop()
            err.print(f"watch stopped after {background.polls} poll(s); what was fetched is "
                      "stored", highlight=False, markup=False)


def _background_watch(db: str, targets: list[str], every: str, delay: float,
                      allow_private: bool) -> Any:
    """``serve --watch``: the feeds polled in a thread beside the web server."""
    from dataclasses import replace

    from storyline.cli.watch import _summary
    from storyline.ingest.netguard import FetchPolicy
    from storyline.ingest.watch import BackgroundWatch, parse_every, read_targets

    try:
        interval = parse_every(every)
        if not read_targets(targets):
            raise ValueError("no feed URL given to --watch")
    except (ValueError, OSError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    policy = FetchPolicy.from_env()
    policy = replace(policy, allow_private=allow_private or policy.allow_private)
    return BackgroundWatch(db, targets, interval, policy=policy, delay=delay,
                           log=lambda line: err.print(line, highlight=False, markup=False),
                           summary=_summary).start()


