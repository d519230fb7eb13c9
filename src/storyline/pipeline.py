"""Stage registry and pipeline.

A stage is a named unit of work over articles that declares the fields it ``requires`` and the
fields it ``provides``. Stages register themselves with :func:`stage`; a :class:`Pipeline` is built
from a config (a list of stage names plus per-stage options), checks its wiring before any data
flows, loads each stage's resources once (``warm_up``), and runs batches through ``pipe``.

A failure on one article never stops the batch. Before the article has its text and id, it becomes
a :class:`Rejection` naming the stage, the reason and a hint. Once it has them (the analysis
stages), a bug costs the stage, not the article: the failure is recorded on the article
(:class:`~storyline.model.StageFailure`, stored with it), the stage's fields are left empty, the
stages that need them are skipped, and the rest goes on. A deliberate :class:`InputRejected` (an
input that cannot be an article) always rejects. Batched stages that fail on a whole batch are
retried one article at a time so the bad article is isolated.

>>> pipeline = Pipeline.from_config({"stages": ["main_text", "clean", "metadata", "identify"]})
>>> [s.name for s in pipeline.stages]
['main_text', 'clean', 'metadata', 'identify']
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import importlib
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import InputRejected, Msg, StorylineError
from storyline.model import Article, Rejection, StageFailure

#: Fields present on an article before any stage runs.
INPUT_FIELDS = frozenset({"raw", "origin", "hints"})

#: Modules whose import registers the built-in stages. Later stages add themselves here.
STAGE_MODULES = (
    "storyline.ingest.main_text",
    "storyline.clean.stage",
    "storyline.meta.stage",
    "storyline.dedup.stage",
    "storyline.annotate.stage",
    "storyline.extract.stage",
)

#: The default pipeline: every stage that exists, in order.
DEFAULT_STAGES = ("main_text", "clean", "identify", "metadata", "fingerprint", "dedup",
                  "annotate", "extract")


class Stage:
    """Base class: override ``process`` (one article) or ``pipe`` (a batch). Both change the
    articles they are given in place and hand back those same objects."""

    name: str = ""
    requires: frozenset[str] = frozenset()
    provides: frozenset[str] = frozenset()
    #: Whether articles flagged as duplicates skip this stage.
    skip_duplicates: bool = False
    #: Whether the stage needs state shared across articles (runs in the main process).
    cross_article: bool = False

    def __init__(self, **options: Any) -> None:
        self.options = options

    def warm_up(self) -> None:
        """Load heavy resources once per process (models, lexicons)."""

    def bind(self, **resources: Any) -> None:
        """Receive shared resources (the store) before a run; most stages need none."""

    def written(self, article_ids: Sequence[str]) -> None:
        """The store now holds these articles (cross-article stages that remember the articles
        of a run until then forget them here)."""

    def process(self, article: Article) -> Article:
        raise NotImplementedError

    def pipe(self, articles: Sequence[Article]) -> list[Article]:
        return [self.process(a) for a in articles]


@dataclass(frozen=True)
class StageSpec:
    name: str
    factory: Callable[..., Stage]
    requires: frozenset[str]
    provides: frozenset[str]


REGISTRY: dict[str, StageSpec] = {}


def stage(
    name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()
) -> Callable[[type[Stage]], type[Stage]]:
    """Class decorator that registers a stage under ``name``."""

    def register(cls: type[Stage]) -> type[Stage]:
        cls.name = name
        cls.requires = frozenset(requires)
        cls.provides = frozenset(provides)
        REGISTRY[name] = StageSpec(name, cls, cls.requires, cls.provides)
        return cls

    return register


def load_builtin_stages() -> None:
    for module in STAGE_MODULES:
        importlib.import_module(module)


@dataclass
class PipeResult:
    articles: list[Article] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class Pipeline:
    """An ordered, wiring-checked list of stages."""

    def __init__(self, stages: list[Stage], config: dict[str, Any] | None = None) -> None:
        self.stages = stages
        #: The config it was built from (lets worker processes build the same pipeline).
        self.config = config
        self._warm = False
        self.check_wiring()

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None) -> Pipeline:
        """Build from ``{"stages": [names], "options": {name: {...}}}``; missing keys use defaults."""
        load_builtin_stages()
        config = config or {}
        names = list(config.get("stages", DEFAULT_STAGES))
        options = config.get("options", {}) or {}
        if not isinstance(options, dict):
            raise StorylineError(Msg.E109, detail="'options' must be a table of stage options")
        stages = []
        for name in names:
            spec = REGISTRY.get(name)
            if spec is None:
                raise StorylineError(Msg.E100, name=name, known=", ".join(sorted(REGISTRY)))
            stages.append(spec.factory(**options.get(name, {})))
        return cls(stages, {"stages": names, "options": copy.deepcopy(options)})

    def check_wiring(self) -> None:
        available = set(INPUT_FIELDS)
        for st in self.stages:
            missing = st.requires - available
            if missing:
                raise StorylineError(Msg.E101, stage=st.name, missing=", ".join(sorted(missing)))
            available |= st.provides

    def set_option(self, stage_name: str, key: str, value: Any) -> None:
        """Set a stage option here and in the config that worker processes build from."""
        for st in self.stages:
            if st.name == stage_name:
                st.options[key] = value
        if self.config is not None:
            self.config.setdefault("options", {}).setdefault(stage_name, {})[key] = value

    def bind(self, **resources: Any) -> None:
        for st in self.stages:
            st.bind(**resources)

    def written(self, article_ids: Sequence[str]) -> None:
        for st in self.stages:
            st.written(article_ids)

    def warm_up(self) -> None:
        if not self._warm:
            for st in self.stages:
                st.warm_up()
            self._warm = True

    @property
    def is_warm(self) -> bool:
        return self._warm

    def mark_warm(self) -> None:
        """Its stages are loaded already (a segment of a warm pipeline, in a forked worker)."""
        self._warm = True

    def split(self) -> tuple[Pipeline, Pipeline]:
        """Split at the first cross-article stage: (per-article prefix, the rest)."""
        for i, st in enumerate(self.stages):
            if st.cross_article:
                return Pipeline._unchecked(self.stages[:i]), Pipeline._unchecked(self.stages[i:])
        return Pipeline._unchecked(self.stages), Pipeline._unchecked([])

    def segments(self) -> list[tuple[bool, Pipeline]]:
        """Runs of stages: ``(cross_article, pipeline)``, in order. Per-article runs can go to
        worker processes; cross-article runs stay with the store."""
        runs: list[tuple[bool, Pipeline]] = []
        for st in self.stages:
            if runs and runs[-1][0] == st.cross_article:
                runs[-1][1].stages.append(st)
            else:
                runs.append((st.cross_article, Pipeline._unchecked([st])))
        return runs

    @classmethod
    def _unchecked(cls, stages: list[Stage]) -> Pipeline:
        obj = cls.__new__(cls)
        obj.stages, obj._warm, obj.config = stages, False, None
        return obj

    def pipe(self, articles: Sequence[Article]) -> PipeResult:
        """Run one batch through every stage; bad inputs become rejections, failed analysis
        stages are recorded on their article (see the module docstring). Order is kept."""
        self.warm_up()
        result = PipeResult()
        current = list(articles)
        for st in self.stages:
            todo = [a for a in current if not _skips(st, a)]
            done, rejected = _run_stage(st, todo)
            result.rejections.extend(rejected)
            if len(done) != len(todo):  # some were rejected: drop them, keep the order
                kept = {id(a) for a in done}
                asked = {id(a) for a in todo}
                current = [a for a in current if id(a) in kept or id(a) not in asked]
        result.articles = current
        return result

    def stream(self, batches: Iterable[Sequence[Article]]) -> Iterator[PipeResult]:
        for batch in batches:
            yield self.pipe(batch)


MISSING = "missing_fields"  # hint: fields a failed stage did not provide


def _skips(st: Stage, article: Article) -> bool:
    """Duplicates skip the analysis stages; a stage that needs what a failed stage did not
    provide is skipped too (and what it would provide is missing in turn)."""
    if st.skip_duplicates and article.duplicate_of:
        return True
    missing: set[str] | None = article.hints.get(MISSING)
    if missing and st.requires & missing:
        missing |= st.provides
        return True
    return False


def _run_stage(st: Stage, articles: list[Article]) -> tuple[list[Article], list[Rejection]]:
    if not articles:
        return [], []
    done: list[Article] = []
    rejected: list[Rejection] = []

    def one(article: Article, call: Callable[[], list[Article]]) -> None:
        try:
            done.extend(call())
        except Exception as exc:  # noqa: BLE001 - becomes a rejection or a recorded failure
            if isinstance(exc, InputRejected) or not (article.id and article.text):
                rejected.append(_reject(st, article, exc))
            else:
                record_failure(st, article, exc)
                done.append(article)

    if type(st).pipe is Stage.pipe:  # a per-article stage: isolate each article directly
        for article in articles:
            one(article, lambda a=article: [st.process(a)])
        return done, rejected
    try:
        return list(st.pipe(articles)), []
    except Exception:  # noqa: BLE001 - isolate the failing article below
        pass
    for article in articles:  # batched stages are idempotent, so a retry is safe
        one(article, lambda a=article: list(st.pipe([a])))
    return done, rejected


def stage_failure(stage_name: str, exc: BaseException, *, sentence: int | None = None,
                  part: str = "") -> StageFailure:
    """A failure record: the error, a digest naming the bug (exception type and the functions
    it passed through, without line numbers, so it survives unrelated edits) and the last
    frames of the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = "|".join(f"{os.path.basename(f.filename)}:{f.name}" for f in frames)
    digest = hashlib.sha1(f"{type(exc).__name__}|{where}".encode()).hexdigest()[:12]
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-8))
    error = f"{type(exc).__name__}: {exc}"[:500]
    return StageFailure(stage_name, error, digest, text[-4000:], sentence, part)


def record_failure(st: Stage, article: Article, exc: BaseException) -> None:
    """The stage failed on an article that has its text and id: keep the article, empty what
    the stage provides (a half-done result is not a result) and note the failure."""
    article.failures.append(stage_failure(st.name, exc))
    defaults = {f.name: f for f in dataclasses.fields(Article)}
    for name in st.provides:
        spec = defaults.get(name)
        if spec is None:
            article.hints.pop(name, None)
        elif spec.default_factory is not dataclasses.MISSING:
            setattr(article, name, spec.default_factory())
        elif name not in ("id", "text"):
            setattr(article, name, spec.default)
    article.hints.setdefault(MISSING, set()).update(st.provides)


def _reject(st: Stage, article: Article, exc: BaseException) -> Rejection:
    if isinstance(exc, InputRejected):
        return Rejection(article.origin, exc.stage or st.name, exc.reason, exc.hint, exc.code)
    detail = f"{type(exc).__name__}: {exc}"[:500]
    reason, hint = Msg.E015.render(stage=st.name, detail=detail)
    return Rejection(article.origin, st.name, reason, hint, Msg.E015.value)
