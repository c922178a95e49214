"""``alliance consensus PATH --out FILE`` on good and malformed Pol.is exports."""

import json
from pathlib import Path

import pytest

from alliance.cli import main as alliance_main
from alliance.consensus.cli import main

VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"
COMMENTS_HEADER = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
)


def write_export(folder: Path, n_voters=30, comments=6, extra_votes="", moderated=None):
    folder.mkdir(parents=True, exist_ok=True)
    moderated = moderated or {}
    lines = [COMMENTS_HEADER]
    for c in range(comments):
        lines.append(f"1,d,{c},0,0,0,{moderated.get(c, 1)},statement {c}\n")
    (folder / "comments.csv").write_text("".join(lines))
    lines = [VOTES_HEADER]
    t = 1000
    for voter in range(n_voters):
        side = 1 if voter % 3 else -1
        for c in range(comments):
            vote = 1 if c == 0 else side * (1 if c % 2 else -1)
            lines.append(f"{t},d,{c},{voter + 100},{vote}\n")
            t += 1
    (folder / "votes.csv").write_text("".join(lines) + extra_votes)
    return folder


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_good_export_writes_the_json(tmp_path, capsys):
    folder = write_export(tmp_path / "conv", comments=8, moderated={7: -1})
    out = tmp_path / "results.json"
    code, stdout, err = run(capsys, folder, "--out", out)
    assert code == 0, err
    data = json.loads(out.read_text())
    assert {"groups", "common_ground", "consensus"} <= set(data)
    assert len(data["groups"]) == 2
    everyone = sorted(p for g in data["groups"] for p in g["participants"])
    assert everyone == list(range(100, 130))
    for group in data["groups"]:
        assert isinstance(group["id"], int)
        assert all(isinstance(p, int) for p in group["participants"])
        for rep in group["representative"]:
            assert rep["direction"] in ("agree", "disagree")
            assert rep["statement"] in range(7)
    assert data["common_ground"] == [0]
    assert set(data["consensus"]) == {str(c) for c in range(7)}  # 7 is moderated out
    assert data["moderated_out"] == [7]
    assert all(0 <= v <= 1 for v in data["consensus"].values())
    assert "groups" in stdout


def test_last_vote_by_timestamp_wins(tmp_path, capsys):
    # voter 100 first agreed with 1, then (later timestamp, earlier line) disagreed
    folder = write_export(tmp_path / "conv", extra_votes="1,d,1,100,1\n")
    out = tmp_path / "r.json"
    assert run(capsys, folder, "--out", out)[0] == 0
    from alliance.consensus.polis import read_export

    export = read_export(folder)
    stmts, votes = export.matrix.row(export.participant_ids.index(100))
    assert votes[list(stmts).index(1)] == -1


def test_the_project_command_dispatches(tmp_path, capsys):
    folder = write_export(tmp_path / "conv")
    out = tmp_path / "r.json"
    assert alliance_main(["consensus", str(folder), "--out", str(out)]) == 0
    assert out.exists()


@pytest.mark.parametrize(
    ("mutate", "file", "line", "words"),
    [
        (
            lambda f: (f / "votes.csv").write_text("timestamp,comment-id,voter-id\n1,0,1\n"),
            "votes.csv",
            1,
            "vote",
        ),
        (
            lambda f: (f / "comments.csv").write_text("comment-id,comment-body\n0,x\n"),
            "comments.csv",
            1,
            "moderated",
        ),
        (
            lambda f: (f / "votes.csv").write_text(VOTES_HEADER + "1,d,0,1,1\n2,d,0,2,2\n"),
            "votes.csv",
            3,
            "'2'",
        ),
        (
            lambda f: (f / "votes.csv").write_text(VOTES_HEADER + "1,d,0,1,agree\n"),
            "votes.csv",
            2,
            "'agree'",
        ),
        (lambda f: (f / "votes.csv").write_text(""), "votes.csv", 1, "empty"),
        (lambda f: (f / "votes.csv").write_text(VOTES_HEADER), "votes.csv", 2, "no vote"),
        (lambda f: (f / "comments.csv").write_text(""), "comments.csv", 1, "empty"),
        (lambda f: (f / "votes.csv").unlink(), "votes.csv", None, "not found"),
        (lambda f: (f / "comments.csv").unlink(), "comments.csv", None, "not found"),
        (
            lambda f: (f / "votes.csv").write_text(VOTES_HEADER + "x,d,0,1,1\n"),
            "votes.csv",
            2,
            "timestamp",
        ),
        (
            lambda f: (f / "votes.csv").write_text(VOTES_HEADER + "1,d,0\n"),
            "votes.csv",
            2,
            "fields",
        ),
        (
            lambda f: (f / "votes.csv").write_text(VOTES_HEADER + "1,d,99,1,1\n"),
            "votes.csv",
            2,
            "99",
        ),
        (
            lambda f: (f / "comments.csv").write_text(COMMENTS_HEADER + "1,d,0,0,0,0,5,x\n"),
            "comments.csv",
            2,
            "moderated",
        ),
        (
            lambda f: (f / "votes.csv").write_bytes(VOTES_HEADER.encode() + b"1,d,0,1,\xff\n"),
            "votes.csv",
            2,
            "UTF-8",
        ),
    ],
)
def test_malformed_export_exits_2_with_one_line(tmp_path, capsys, mutate, file, line, words):
    folder = write_export(tmp_path / "conv")
    mutate(folder)
    out = tmp_path / "results.json"
    code, _stdout, err = run(capsys, folder, "--out", out)
    assert code == 2
    assert not out.exists()
    assert list(tmp_path.glob("*.json")) == [] and list(tmp_path.glob(".results*")) == []
    assert err.count("\n") == 1, err
    where = f"{file}:{line}:" if line else f"{file}:"
    assert where in err, err
    assert words in err, err


def test_missing_folder_and_bad_arguments(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path / "nope", "--out", tmp_path / "r.json")
    assert code == 2 and "nope" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path)])  # --out is required
    assert exc.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
