"""The scorers: the stock n-gram model (built into an empty cache, persisted as arrays),
snownlp's model as snownlp computes it, placeholders, other languages, odd texts, the
calibration, large batches on every core, and the ``sentiment`` command's contract."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis.sentiment import is_no_text, score_texts, text_status
from analysis.sentiment import model as models
from analysis.sentiment import bayes, ngram, parallel, stock
from analysis.sentiment.calibration import Calibration, fit_anchored
from analysis.sentiment.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]

# The texts: plain praise the old model scored near 0, and a complaint.
PRAISE = ["第二次购买了，客服回复及时，服务周到，非常满意", "真的超级喜欢，质量非常好",
          "用了一个月了，依然很好，没有任何问题。", "物流很快，隔天就到了，好评！"]
COMPLAINTS = ["物流太慢了，包装破损，很失望", "质量很差，用了两天就坏了，不推荐购买",
              "客服态度很差，一直推脱，差评！"]


@pytest.fixture(scope="module")
def snow():
    """snownlp's own classifier and stopword filter (slow to import: once per module)."""
    import snownlp.normal
    import snownlp.sentiment

    return snownlp.sentiment.classifier, snownlp.normal.filter_stop


def test_stock_model_builds_into_an_empty_cache_as_arrays(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHTS_MODEL_CACHE", str(tmp_path))
    assert not stock.is_cached()
    model, cal, metrics = stock.build()
    # Fitted on four fifths of the corpus, calibrated on the fifth held out by md5.
    texts, labels = stock.corpus()
    held = stock.held_out_mask(texts)
    assert (metrics["trained_on"], metrics["held_out"]) == ((~held).sum(), held.sum())
    assert 0.15 < held.mean() < 0.25 and metrics["auc"] > 0.9
    assert metrics["corpus_sha256"] == stock.corpus_hash()
    # The cached file is plain arrays: it loads with pickles refused, and gives the same
    # model as the process's own (deterministic build).
    stock._save(stock.cache_path(), model, cal, metrics)
    assert stock.is_cached() and stock.cache_path().name == f"{stock.stock_id()}.npz"
    with np.load(stock.cache_path(), allow_pickle=False) as f:
        assert {"key", "idf", "coef", "intercept", "calibration", "metrics"} <= set(f.files)
        again = ngram.NgramModel.from_arrays(f)
    mine = models.stock_scorer()
    assert np.array_equal(again.coef, mine.model.coef)
    assert Calibration.from_array(cal.array()) == mine.calibration


def test_stock_model_id_follows_corpus_and_code_version(monkeypatch):
    before = stock.stock_id()
    monkeypatch.setattr(stock, "CODE_VERSION", "ngram-test")
    assert stock.stock_id() != before
    monkeypatch.undo()
    monkeypatch.setattr(stock, "corpus_hash", lambda: "another corpus")
    assert stock.stock_id() != before


def test_a_damaged_cache_file_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHTS_MODEL_CACHE", str(tmp_path))
    stock.cache_path().write_bytes(b"half a file")
    mine = models.stock_scorer()
    calls = []
    monkeypatch.setattr(stock, "build", lambda: calls.append(1) or (
        mine.model, mine.calibration, mine.metrics))
    stock.stock.cache_clear()
    try:
        _model, cal, _metrics = stock.stock()
        assert calls == [1] and cal == mine.calibration
        assert stock._load(stock.cache_path())[1] == mine.calibration  # written again, whole
    finally:
        stock.stock.cache_clear()


def test_praise_scores_high_and_complaints_low():
    praise, complaints = score_texts(PRAISE), score_texts(COMPLAINTS)
    assert min(praise) > 0.6, praise
    assert max(complaints) < 0.1, complaints


def test_snownlp_model_equals_snownlp_classify_on_the_same_words(snow):
    import jieba

    sentiment, filter_stop = snow
    base = stock.snownlp_dir() / "sentiment"
    texts = []
    for name in ("neg.txt", "pos.txt"):
        lines = [ln.strip() for ln in base.joinpath(name).read_text("utf-8").splitlines()]
        texts += [ln for ln in lines if ln][::197][:40]
    got = score_texts(texts, model="snownlp")
    for text, score in zip(texts, got):
        words = [w for w in filter_stop(jieba.lcut(normalise(text), HMM=False))
                 if not w.isspace()]
        assert bayes.cut(text) == words
        ret, prob = sentiment.classifier.classify(words)
        assert score == (prob if ret == "pos" else 1 - prob), text


def test_model_ids_differ_by_kind_and_calibration():
    s = models.stock_scorer()
    assert s.id == stock.stock_id() and s.id.startswith("stock-")
    other = s.recalibrated(Calibration(cut=0.0, slope=1.0, threshold=0.4), "店A")
    assert other.id.startswith(s.id + "-") and other.id != s.id
    assert models.snownlp_scorer().id.startswith("snownlp-")


@pytest.mark.parametrize("text", [
    "此用户未及时填写评价内容", "此用户没有填写评论!", "您没有填写内容，默认好评",
    "该用户觉得商品不错", "系统默认好评", "用户未填写评价内容", "此用户未填写评价内容",
    "评价方未及时做出评价,系统默认好评!", " 此用户没有填写评价。 ",
    "", "   ", "\t\n", "。。！！", "...", "😊😊", "👍🏻❤️", "😡 ！", None, "666", "<br/>",
])
def test_no_text_is_never_scored(text):
    assert is_no_text(text) and text_status(text) == "no_text"
    assert score_texts([text]) == [None]


@pytest.mark.parametrize("text", [
    "Produto chegou antes do prazo, recomendo!", "Não gostei do produto", "ok",
    "Great quality, fast delivery", "とても良い商品でした", "배송이 빨라요",
])
def test_other_languages_are_not_scored(text):
    assert not is_no_text(text) and text_status(text) == "not_chinese"
    assert score_texts([text]) == [None]


@pytest.mark.parametrize("text", ["好评", "默认好评但是质量一般", "不错", "差", "iPhone很好用",
                                  "<b>质量很好</b>", "很好👍", "很好" * 2500])
def test_chinese_wording_is_scored(text):
    assert text_status(text) == "chinese"
    assert 0.0 <= score_texts([text])[0] <= 1.0


def test_markup_and_emoji_do_not_change_the_reading():
    assert normalise("很好<br/>物流快") == "很好 物流快"
    assert score_texts(["<p>很好</p>"]) == score_texts(["很好"])
    assert normalise("很好👍🏻") == normalise("很好👍") == "很好👍"
    long_text = "质量很差，" * 1000
    assert len(long_text) == 5000 and score_texts([long_text])[0] < 0.1


def test_normalise_collapses_space_and_repeated_punctuation():
    assert normalise("  很好！！！  物流\t快。。。 &hellip;") == "很好！ 物流 快。 …"


def test_anchored_calibration_by_hand():
    # Ten raw scores, three negatives: the cut is the 30 % quantile of the raw scores,
    # 0.3 × 9 = 2.7 places along: -1.5 + 0.7 × (-0.5 - -1.5) = -0.8.
    raw = np.array([-3.0, -2.0, -1.5, -0.5, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0])
    positive = np.array([False, False, True, False, True, True, True, True, True, True])
    cal = fit_anchored(raw, positive, threshold=0.4)
    assert cal.cut == pytest.approx(-0.8)
    assert cal.probability([cal.cut])[0] == pytest.approx(0.4)
    # So the share below the threshold on these reviews is their share of negatives.
    assert (cal.probability(raw) < 0.4).mean() == pytest.approx(0.3)
    assert cal.slope > 0
    assert np.all(np.diff(cal.probability(np.sort(raw))) > 0)
    with pytest.raises(ValueError):
        fit_anchored(raw, np.ones(10, dtype=bool), threshold=0.4)
    with pytest.raises(ValueError):
        Calibration.from_array([0.0, -1.0, 0.4])


def test_large_batches_score_the_same_on_every_core(monkeypatch):
    import threading

    if threading.active_count() > 1:
        pytest.skip("another thread runs in this process: batches are scored in it")
    monkeypatch.setattr(parallel, "MIN_BATCH", 50)
    texts = [normalise(t) for t in (PRAISE + COMPLAINTS) * 20]
    assert parallel._workers(len(texts), 2) == 2 and parallel._workers(49, 2) == 0
    scorer = models.stock_scorer()
    here = scorer.probabilities(texts)
    assert np.array_equal(parallel.probabilities(scorer, texts, workers=2), here)
    counts = parallel.hashed(texts, workers=2)
    assert (counts != ngram.hashed(texts)).nnz == 0


def _cli(args, stdin: bytes):
    return subprocess.run([sys.executable, "-m", "analysis", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120)


def test_cli_sentiment_one_line_out_per_line_in(tmp_path):
    stdin = ("好评\n此用户没有填写评论!\n\n质量很好，物流很快\r\n😊\nProduto ótimo\n"
             "最后一行").encode("utf-8")
    run = _cli(["sentiment", "--db", str(tmp_path / "none.duckdb")], stdin)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.decode("utf-8").split("\n")
    assert lines[-1] == ""  # final newline
    lines = lines[:-1]
    assert len(lines) == 7
    assert lines[1] == lines[2] == lines[4] == lines[5] == ""
    expected = score_texts(["好评", "质量很好，物流很快", "最后一行"])
    assert [float(lines[i]) for i in (0, 3, 6)] == expected
    assert not (tmp_path / "none.duckdb").exists()  # stock never opens the database
    again = _cli(["sentiment"], stdin)
    assert again.stdout == run.stdout  # deterministic
    auto = _cli(["sentiment", "--model", "auto", "--db", str(tmp_path / "none.duckdb")], stdin)
    assert auto.stdout == run.stdout  # no database: nothing chosen, the stock model


def test_cli_sentiment_snownlp_and_model_files(tmp_path):
    run = _cli(["sentiment", "--model", "snownlp"], "好评\n".encode())
    assert run.returncode == 0, run.stderr
    assert float(run.stdout) == score_texts(["好评"], model="snownlp")[0]

    path = tmp_path / "m.model"
    texts = ["很好", "不错", "满意", "差", "很差", "失望"] * 5
    fitted = ngram.fit_hashed(ngram.hashed(texts), [t in ("很好", "不错", "满意") for t in texts])
    scorer = models.NgramScorer("store", fitted, Calibration(0.0, 1.0, 0.4), calibrated_on="*")
    path.write_bytes(scorer.payload())
    run = _cli(["sentiment", "--model", str(path)], "很好\n很差\n".encode())
    assert run.returncode == 0, run.stderr
    hi, lo = (float(x) for x in run.stdout.decode().split())
    assert hi > 0.5 > lo
    assert [hi, lo] == models.load_file(path).score_texts(["很好", "很差"])

    run = _cli(["sentiment", "--model", "store", "--db", str(tmp_path / "no.duckdb")], b"x\n")
    assert run.returncode == 2 and b"Traceback" not in run.stderr
    foreign = tmp_path / "foreign.npz"
    buf = io.BytesIO()
    np.savez(buf, weights=np.zeros(3))
    foreign.write_bytes(buf.getvalue())
    for bad, content in ((tmp_path / "bad.model", b"not a model"), (foreign, None)):
        if content is not None:
            bad.write_bytes(content)
        run = _cli(["sentiment", "--model", str(bad)], b"x\n")
        err = run.stderr.decode().strip()
        assert run.returncode == 2 and "not a model file" in err and len(err.splitlines()) == 1


def test_importing_the_package_loads_no_model_library():
    code = ("import sys, analysis.sentiment, analysis.sentiment.command; "
            "print(any(m in sys.modules for m in ('jieba', 'snownlp', 'pandas', 'sklearn')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                         timeout=60, text=True)
    assert run.stdout.strip() == "False", run.stderr
