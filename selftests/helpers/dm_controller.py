#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dm_controller.py - a minimal dense-mode style mfwd controller.

It reads "mfwdctl -j monitor nocache vif" and, for every NOCACHE event
(S, G, iif; IPv4 or IPv6), installs the flood route (S,G) iif -> every
other VIF.  VIFs
are learnt from "mfwdctl -j vif show" at start and from VIF add/del events.

usage: dm_controller.py [--mfwdctl PATH] [--log FILE] [--cleanup]

  --mfwdctl PATH  the mfwdctl binary (default: $MFWDCTL, else "mfwdctl")
  --log FILE      log what it sees and does, one line each (default stderr)
  --cleanup       delete the routes it installed when it stops

Run it in the router's network namespace.  SIGTERM or SIGINT stops it: it
stops the monitor, optionally deletes its routes, logs "stopped" and exits 0.
It exits 1 if the monitor dies on its own.
"""
import argparse
import json
import os
import signal
import subprocess
import sys


class Controller:
    def __init__(self, mfwdctl, log):
        self.mfwdctl = mfwdctl
        self.log = log
        self.vifs = set()
        self.routes = []
        self.monitor = None
        self.stopping = False

    def say(self, msg):
        self.log.write(msg + "\n")
        self.log.flush()

    def ctl(self, *args):
        p = subprocess.run([self.mfwdctl, *args], capture_output=True,
                           text=True, check=False)
        return p.returncode, (p.stdout + p.stderr).strip()

    def load_vifs(self):
        rc, out = self.ctl("-j", "vif", "show")
        if rc:
            raise SystemExit("vif show failed: " + out)
        vifs = json.loads(out or "[]")
        for v in [vifs] if isinstance(vifs, dict) else vifs:
            self.vifs.add(v["dev"])
        self.say("vifs %s" % " ".join(sorted(self.vifs)))

    def nocache(self, ev):
        src, grp, iif = ev["source"], ev["group"], ev["iif"]
        oifs = sorted(v for v in self.vifs if v != iif)
        args = ["route", "add", "group", grp, "source", src, "iif", iif]
        for o in oifs:
            args += ["oif", o]
        rc, out = self.ctl(*args)
        if rc == 0:
            self.routes.append((grp, src))
            self.say("route add (%s,%s) iif %s oifs %s" %
                     (src, grp, iif, ",".join(oifs)))
        elif "exists" in out.lower():
            self.say("route (%s,%s) exists" % (src, grp))
        else:
            self.say("route add (%s,%s) failed: %s" % (src, grp, out))

    def handle(self, line):
        try:
            ev = json.loads(line)
        except ValueError:
            self.say("unparsable: " + line.strip())
            return
        kind = ev.get("event")
        if kind == "vif_add":
            self.vifs.add(ev["dev"])
            self.say("vif_add %s" % ev["dev"])
        elif kind == "vif_del":
            self.vifs.discard(ev["dev"])
            self.say("vif_del %s" % ev["dev"])
        elif kind == "nocache":
            self.say("nocache %s (%s,%s) iif %s" %
                     (ev.get("family"), ev["source"], ev["group"], ev["iif"]))
            self.nocache(ev)

    def stop(self, *_):
        self.stopping = True
        if self.monitor and self.monitor.poll() is None:
            self.monitor.terminate()

    def run(self, cleanup):
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        # Subscribe first, then read the VIFs: none can be missed between.
        self.monitor = subprocess.Popen(
            [self.mfwdctl, "-j", "monitor", "nocache", "vif"],
            stdout=subprocess.PIPE, text=True, bufsize=1)
        self.say("monitor pid %d" % self.monitor.pid)
        self.load_vifs()
        while True:
            try:
                line = self.monitor.stdout.readline()
            except InterruptedError:
                continue
            if not line:
                break
            if not self.stopping:
                self.handle(line)
        rc = self.monitor.wait()
        if cleanup:
            for grp, src in self.routes:
                self.ctl("route", "del", "group", grp, "source", src)
            self.say("deleted %d routes" % len(self.routes))
        if not self.stopping:
            self.say("monitor exited (%d)" % rc)
            return 1
        self.say("stopped")
        return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mfwdctl", default=os.environ.get("MFWDCTL", "mfwdctl"))
    p.add_argument("--log")
    p.add_argument("--cleanup", action="store_true")
    a = p.parse_args()
    log = open(a.log, "a") if a.log else sys.stderr
    sys.exit(Controller(a.mfwdctl, log).run(a.cleanup))


if __name__ == "__main__":
    main()
