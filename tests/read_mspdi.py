"""Read an MSPDI file with MPXJ and print its tasks as JSON (run in its own process: one JVM each).

python tests/read_mspdi.py FILE
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    import jpype
    import mpxj  # noqa: F401 - puts MPXJ's jars on the class path

    jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    project = UniversalProjectReader().read(sys.argv[1])
    tasks = []
    for task in project.getTasks():
        if task.getUniqueID() is None or task.getName() is None:
            continue  # MPXJ's own project summary task
        duration = task.getDuration()
        tasks.append(
            {
                "uid": int(task.getUniqueID()),
                "wbs": str(task.getWBS()),
                "name": str(task.getName()),
                "start": str(task.getStart()),
                "finish": str(task.getFinish()),
                "duration": float(duration.getDuration()),
                "units": str(duration.getUnits()),
                "milestone": bool(task.getMilestone()),
                "summary": bool(task.getSummary()),
                "level": int(task.getOutlineLevel()),
                "cost": float(task.getCost()) if task.getCost() is not None else None,
                "predecessors": [int(r.getPredecessorTask().getUniqueID()) for r in task.getPredecessors()],
                "resources": sorted(str(a.getResource().getName()) for a in task.getResourceAssignments()),
            }
        )
    currency = str(project.getProjectProperties().getCurrencyCode())
    json.dump({"currency": currency, "tasks": tasks}, sys.stdout)


if __name__ == "__main__":
    main()
