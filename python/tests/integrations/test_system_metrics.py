"""start_run(system_metrics=True): system/* series sampled by a daemon thread, GPU
figures only where nvidia-smi answers (as test/integrations/system-metrics.test.ts)."""

import os
import stat
import time

import pytest

from mldb import Database, NotFoundError, ValidationError


def system_series(db, exp):
    return sorted(s["name"] for s in db.get_series(exp) if s["split"] == "system")


def wait_for(cond, timeout=10.0):
    """Polls until cond() holds (not a timed assertion: the deadline only bounds a hang)."""
    end = time.monotonic() + timeout

    def holds():
        try:
            return cond()
        except NotFoundError:  # the series is not there yet
            return False

    while not holds():
        if time.monotonic() > end:
            raise AssertionError("condition not reached in %ss" % timeout)
        time.sleep(0.02)


def test_samples_cpu_memory_disk_network_and_nothing_gpu_without_nvidia_smi(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no nvidia-smi anywhere
    with Database(db_path) as db:
        run = db.start_run(name="sys", system_metrics=True, system_metrics_every_s=0.02, handle_exit=False)
        wait_for(lambda: len(db.get_metric_values("sys", "cpu_percent", split="system")) >= 2)
        run.finish()
        names = system_series(db, "sys")
        for n in ("cpu_percent", "process_cpu_percent", "process_rss_mb", "memory_used_mb", "memory_used_percent",
                  "disk_read_mb", "disk_write_mb", "net_recv_mb", "net_sent_mb"):
            assert n in names
        assert [n for n in names if n.startswith("gpu")] == []
        rss = db.get_metric_values("sys", "process_rss_mb", split="system")
        assert rss[0]["value"] > 1
        assert [p["step"] for p in rss[:2]] == [0, 1]
        assert 0 < db.get_metric_values("sys", "memory_used_percent", split="system")[0]["value"] <= 100
        count = len(db.get_metric_values("sys", "cpu_percent", split="system"))
        time.sleep(0.1)
        assert len(db.get_metric_values("sys", "cpu_percent", split="system")) == count
        assert db.get_exp_status("sys") == "COMPLETE"


def test_logs_each_gpu_where_nvidia_smi_answers(db_path, tmp_path, monkeypatch):
    smi = tmp_path / "nvidia-smi"
    smi.write_text('#!/bin/sh\nprintf "0, 35, 1024, 16384, 51\\n1, [N/A], 2048, 16384, 40\\n"\n')
    smi.chmod(smi.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + "/usr/bin:/bin")
    with Database(db_path) as db:
        run = db.start_run(name="gpu", system_metrics=True, system_metrics_every_s=0.02, handle_exit=False)
        wait_for(lambda: db.get_metric_values("gpu", "gpu1_temperature_c", split="system"))
        run.finish()

        def last(n):
            return db.get_metric_values("gpu", n, split="system")[-1]["value"]

        assert last("gpu0_utilization_percent") == 35
        assert last("gpu0_memory_used_mb") == 1024
        assert last("gpu0_memory_percent") == 6.25
        assert last("gpu0_temperature_c") == 51
        assert last("gpu1_temperature_c") == 40
        assert "gpu1_utilization_percent" not in system_series(db, "gpu")


def test_off_by_default_and_a_bad_period_is_refused_before_the_run_exists(db_path):
    with Database(db_path) as db:
        db.start_run(name="plain", handle_exit=False).finish()
        assert system_series(db, "plain") == []
        with pytest.raises(ValidationError):
            db.start_run(name="bad", system_metrics=True, system_metrics_every_s=0, handle_exit=False)
        with pytest.raises(ValidationError, match="system_metrics"):
            db.start_run(name="bad", system_metrics="yes", handle_exit=False)
        assert [e["name"] for e in db.list_experiments()] == ["plain"]
