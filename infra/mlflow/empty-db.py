"""Writes an empty MLflow tracking database, migrated to this venv's MLflow (scripts/setup.sh).

`mlflow server` on a new SQLite file spends ~4 s creating and migrating its ~200 tables; the dev
stack copies this file instead (ops/stack, part mlflow) when a stack starts with no database yet.
The default artifact root is the one `mlflow server --serve-artifacts` uses, so the Default
experiment reads exactly as in a database the server made itself.
"""
import os
import sys

from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

out = sys.argv[1]
tmp = f"{out}.tmp-{os.getpid()}"
if os.path.exists(tmp):
    os.remove(tmp)
SqlAlchemyStore(f"sqlite:///{os.path.abspath(tmp)}", "mlflow-artifacts:/")
os.replace(tmp, out)
