#!/usr/bin/env python3
"""Checks of the benchmark scripts' own logic (run by ci/bench.sh --quick):
how runs that timed out count in a median, how a tool's lines are read,
and how ci/bench/locate.py tells zmq4's package id whatever the checkout
is called."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools import RunError, Runner, Timeout, median, parse, spread, timeouts  # noqa: E402


class Medians(unittest.TestCase):
    def test_timed_out_runs_are_the_slowest(self):
        # Throughput: a timed-out run ranks below every finished one.
        self.assertEqual(median("thr", [5.0, None, 3.0, 4.0, 1.0]), 3.0)
        # Latency: it ranks above every finished one.
        self.assertEqual(median("lat", [5.0, None, 3.0, 4.0, 1.0]), 4.0)

    def test_a_median_on_a_timed_out_run_is_none(self):
        self.assertIsNone(median("thr", [None, None, 1.0]))
        self.assertIsNone(median("lat", [None, 2.0, None, 1.0]))
        self.assertEqual(median("lat", [None, 2.0, 3.0, 1.0]), 2.5)

    def test_spread_and_count_use_finished_runs(self):
        self.assertEqual(spread([2.0, None, 4.0, 3.0]), "67%")
        self.assertEqual(spread([None, 1.0]), "-")
        self.assertEqual(timeouts([None, 1.0, None]), 2)


class Lines(unittest.TestCase):
    THR = ("message size: 64 [B]\nmessage count: 1000\nmean throughput: 2000 [msg/s]\n"
           "mean throughput: 1.024 [Mb/s]\n")

    def test_the_c_tools_lines_are_read(self):
        self.assertEqual(parse("thr", ["t"], 0, self.THR, "", 64, 1000), 2000.0)
        lat = "message size: 1 [B]\nroundtrip count: 10\naverage latency: 12.500 [us]\n"
        self.assertEqual(parse("lat", ["t"], 0, lat, "", 1, 10), 12.5)

    def test_other_lines_are_refused(self):
        for out in (self.THR.replace("[msg/s]", "msg/s"),            # format
                    self.THR.replace("count: 1000", "count: 999"),    # count
                    self.THR.replace("1.024", "2.048"),               # Mb/s vs msg/s
                    self.THR + "extra\n"):
            with self.assertRaises(RunError):
                parse("thr", ["t"], 0, out, "", 64, 1000)
        with self.assertRaises(RunError):
            parse("thr", ["t"], 255, self.THR, "", 64, 1000)


class Limits(unittest.TestCase):
    def test_a_run_past_the_limit_is_a_timeout_not_a_retry(self):
        with __import__("tempfile").TemporaryDirectory() as tmp:
            tool = os.path.join(tmp, "inproc_lat")
            with open(tool, "w") as f:
                f.write("#!/bin/sh\necho started >> \"$0.runs\"\nsleep 5\n")
            os.chmod(tool, 0o755)
            runner = Runner({"x": tmp}, tmp)
            runner.limit = 0.5
            with self.assertRaises(Timeout):
                runner.run("lat", "inproc", 1, 10, "x")
            with open(tool + ".runs") as f:
                self.assertEqual(f.read().count("started"), 1)


class PackageId(unittest.TestCase):
    def test_zmq4_is_found_whatever_the_checkout_is_called(self):
        import locate
        for d, pid in (("zmq4", "path+file:///src/zmq4#0.1.0"),
                       ("work", "path+file:///src/work#zmq4@0.1.0")):
            manifest = f"/src/{d}/Cargo.toml"
            meta = {"packages": [
                {"name": "zmq-sys-vendored", "id": f"path+file:///src/{d}/zmq-sys-vendored#0.1.0",
                 "manifest_path": f"/src/{d}/zmq-sys-vendored/Cargo.toml"},
                {"name": "zmq4", "id": pid, "manifest_path": manifest}]}
            self.assertEqual(locate.package_id(meta, manifest), pid)

    def test_another_checkout_of_zmq4_is_not_taken(self):
        import locate
        meta = {"packages": [{"name": "zmq4", "id": "path+file:///other/zmq4#0.1.0",
                              "manifest_path": "/other/zmq4/Cargo.toml"}]}
        with self.assertRaises(SystemExit):
            locate.package_id(meta, "/src/zmq4/Cargo.toml")


if __name__ == "__main__":
    unittest.main()
