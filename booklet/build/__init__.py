"""The build stage: plans a handbook's outputs as data, makes them and writes them; the
only code that writes to the output folder.

Takes a checked handbook (checking.py: load -> parse -> check), a theme and a
`BuildPlan`; gives the files in OUT/<id>/ and an `Output` record for each.

- plan.py: the plan as data, one planner per family of outputs (`PlannedOutput`);
- kinds.py: what differs by `OutputKind`, one table (pdfs.py, epubs.py, booklets.py);
- run.py: starts and finishes the planned outputs, writes them all or none;
- handbooks.py: several handbooks in one build, and the report of it;
- workers.py (processes), cache.py (what is unchanged), transaction.py (the write);
- preview.py, clean.py: `booklet preview` and `booklet clean`.
"""

from booklet.build.checking import Checked, build_time, check_folder, reproducible
from booklet.build.clean import clean_outputs
from booklet.build.plan import BuildPlan, DocumentSpec, PlannedOutput, plan_outputs
from booklet.build.preview import PREVIEW_FOLDER, preview_handbook
from booklet.build.records import Made, Output
from booklet.build.run import (
    Started,
    build_handbook,
    finish_build,
    render_outputs,
    start_build,
)

__all__ = [
    "PREVIEW_FOLDER",
    "BuildPlan",
    "Checked",
    "DocumentSpec",
    "Made",
    "Output",
    "PlannedOutput",
    "Started",
    "build_handbook",
    "build_time",
    "check_folder",
    "clean_outputs",
    "finish_build",
    "plan_outputs",
    "preview_handbook",
    "render_outputs",
    "reproducible",
    "start_build",
]
