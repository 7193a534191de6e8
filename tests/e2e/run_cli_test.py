#!/usr/bin/env python3
"""Runs one golden CLI test file (tests/e2e/cli/*.test).

A file starts with `# name:` and `# description:` lines, then blocks separated by blank lines:

    $ citydip --db $TMP/x.db import $DATA/seoul-china/events.csv   command, run by bash
    ? 1                                                           expected exit code (default 0)
    > exact stdout line                                           all '>' lines = the whole stdout
    ! exact stderr line                                           all '!' lines = the whole stderr
    ~ text                                                        text found in stdout or stderr
    ^ text                                                        text NOT found in stdout/stderr

`citydip` is the binary under test; $TMP is a fresh directory per file (also the working
directory), $DATA the repository's data/, $FIXTURES tests/fixtures/, $SRC the repository.
Lines starting with '#' are comments. Exit status 0 when every block passes.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def parse(path):
    blocks, current = [], None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                current = None
                continue
            tag, text = line[:1], line[2:] if len(line) > 1 else ""
            if tag == "$":
                current = {"line": number, "cmd": text, "exit": 0, "out": None, "err": None,
                           "has": [], "hasnot": []}
                blocks.append(current)
                continue
            if current is None:
                sys.exit(f"{path}:{number}: expected a '$ command' line to start a block")
            if tag == "?":
                current["exit"] = int(text)
            elif tag == ">":
                current["out"] = (current["out"] or []) + [text]
            elif tag == "!":
                current["err"] = (current["err"] or []) + [text]
            elif tag == "~":
                current["has"].append(text)
            elif tag == "^":
                current["hasnot"].append(text)
            else:
                sys.exit(f"{path}:{number}: unknown line tag {tag!r}")
    return blocks


def main():
    binary, src, test_file = sys.argv[1], sys.argv[2], sys.argv[3]
    blocks = parse(test_file)
    tmp = tempfile.mkdtemp(prefix="citydip-e2e-")
    bindir = os.path.join(tmp, ".bin")
    os.makedirs(bindir)
    os.symlink(os.path.abspath(binary), os.path.join(bindir, "citydip"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), TMP=tmp,
               DATA=os.path.join(src, "data"), FIXTURES=os.path.join(src, "tests", "fixtures"),
               SRC=src, LC_ALL="C.UTF-8")
    env.pop("CITYDIP_DB", None)
    def expand(text):
        for name in ("FIXTURES", "DATA", "SRC", "TMP"):
            text = text.replace("$" + name, env[name])
        return text

    for block in blocks:
        for key in ("out", "err"):
            if block[key] is not None:
                block[key] = [expand(line) for line in block[key]]
        block["has"] = [expand(text) for text in block["has"]]
        block["hasnot"] = [expand(text) for text in block["hasnot"]]
    failures = 0
    try:
        for block in blocks:
            proc = subprocess.run(["bash", "-c", block["cmd"]], cwd=tmp, env=env,
                                  capture_output=True, text=True, timeout=300)
            problems = []
            if proc.returncode != block["exit"]:
                problems.append(f"exit code {proc.returncode}, expected {block['exit']}")
            out_lines = proc.stdout.splitlines()
            err_lines = proc.stderr.splitlines()
            if block["out"] is not None and out_lines != block["out"]:
                problems.append("stdout differs:\n  expected:\n    " +
                                "\n    ".join(block["out"]) + "\n  got:\n    " +
                                "\n    ".join(out_lines))
            if block["err"] is not None and err_lines != block["err"]:
                problems.append("stderr differs:\n  expected:\n    " +
                                "\n    ".join(block["err"]) + "\n  got:\n    " +
                                "\n    ".join(err_lines))
            both = proc.stdout + proc.stderr
            for text in block["has"]:
                if text not in both:
                    problems.append(f"output lacks: {text}")
            for text in block["hasnot"]:
                if text in both:
                    problems.append(f"output has, but must not: {text}")
            if problems:
                failures += 1
                print(f"FAIL {test_file}:{block['line']}: $ {block['cmd']}")
                for problem in problems:
                    print("  " + problem)
                if not block["out"] and not block["has"]:
                    print("  stdout:\n    " + "\n    ".join(out_lines[:40]))
                print("  stderr:\n    " + "\n    ".join(err_lines[:40]))
        print(f"{len(blocks) - failures} passed, {failures} failed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
