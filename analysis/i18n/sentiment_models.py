"""Texts of the sentiment models: automatic training, the 模型 section, language."""

TEXTS = {
    "reviews.cli.scope_trained": {
        "zh": "{scope}：差评 {negative} 条、好评 {positive} 条，留出 {held_out} 条；店铺模型 AUC {store_auc}，自带模型 AUC {stock_auc}，采用 {winner}",
        "en": "{scope}: {negative} negative, {positive} positive, {held_out} held out; store model AUC {store_auc}, stock model AUC {stock_auc}; using {winner}",
    },
    "reviews.error.one_class": {
        "zh": "只有一类评价，无法训练店铺模型：差评（1–2星）{negative} 条、好评（4–5星）{positive} 条。",
        "en": "Only one kind of review, so no store model can be trained: {negative} negative (1–2★) and {positive} positive (4–5★).",
    },
    "reviews.error.stale_model": {
        "zh": "{path} 是为旧版自带模型做的校准；请先运行 python -m analysis score。",
        "en": "{path} calibrates a stock model this version no longer builds; run python -m analysis score first.",
    },
    "audit.action.sentiment_model": {"zh": "情感模型训练", "en": "Sentiment model training"},
}
TEXTS.update({
    "reviews.model.none_yet": {"zh": "尚未评分", "en": "not scored yet"},
    "reviews.model.choice.auto": {"zh": "自动（店铺模型更好时用它）", "en": "Auto (the store model where it is better)"},
    "reviews.model.choice.stock": {"zh": "固定用自带模型", "en": "Always the stock model"},
    "reviews.model.choice.store": {"zh": "固定用店铺模型", "en": "Always the store model"},
    "reviews.model.choice.snownlp": {"zh": "snownlp 原版（对比用）", "en": "snownlp's model (for comparison)"},
    "reviews.calibration_note": {
        "zh": "分数是校准后的概率：在本店一部分有星级的评价上校准，使低于 {anchor} 的比例与 1–2 星的占比一致，再在另一部分评价上检验；本店星级评价太少时使用自带模型在其语料留出集上的校准（见“模型”）。负面阈值在这把尺上移动。",
        "en": "Scores are calibrated probabilities: calibrated on part of the store's rated reviews so that the share below {anchor} matches the share of 1–2★, and checked on another part; with too few rated reviews the stock model's calibration on its own held-out corpus is used (see Model). The negative threshold moves along this scale.",
    },
    "reviews.model.preparing": {
        "zh": "正在准备自带情感模型：本机第一次评分时生成（约 10 秒），之后直接读取缓存。",
        "en": "Preparing the stock sentiment model: it is built on this machine's first scoring (about 10 s) and read from its cache afterwards.",
    },
    "reviews.bands.model_changed": {"zh": "更换模型", "en": "model changed"},
    "reviews.trend.model_changed": {
        "zh": "虚线：更换情感模型的周（{weeks}）。更换后所有周都用新模型重新评分，所以与更换前看到的趋势可能不同。",
        "en": "Dashed line: the week the sentiment model changed ({weeks}). Every week is rescored with the new model, so the trend may differ from what was shown before.",
    },
    "reviews.model.how_bands": {
        "zh": "自动模式：本店 1–2 星和 4–5 星有文字的评价各满 {min} 条时训练店铺模型（不足时与其他店铺合并训练），在留出的 20% 评价上 AUC 高于自带模型才采用；各满 {min_cal} 条时自带模型用本店评价校准，否则用它在语料留出集上的校准。校准使 {anchor} 对应本店 1–2 星的占比。",
        "en": "Auto: with {min} reviews with text of each of 1–2★ and 4–5★ a store model is trained (with the other shops' reviews when a shop has fewer) and used only when its AUC on the 20 % held out beats the stock model's; with {min_cal} of each the stock model is calibrated on the shop's reviews, else on its own held-out corpus. Calibration maps {anchor} to the shop's share of 1–2★.",
    },
    "reviews.col.model_id": {"zh": "模型编号", "en": "Model id"},
    "reviews.col.reason": {"zh": "原因", "en": "Why"},
    "reviews.col.rated_negative": {"zh": "1–2 星（有文字）", "en": "1–2★ with text"},
    "reviews.col.rated_positive": {"zh": "4–5 星（有文字）", "en": "4–5★ with text"},
    "reviews.col.since": {"zh": "启用时间", "en": "In use since"},
    "reviews.col.trained_at": {"zh": "训练时间", "en": "Trained"},
    "reviews.model.reason.store_better": {"zh": "店铺模型在留出评价上更好", "en": "the store model did better on held-out reviews"},
    "reviews.model.reason.stock_better": {"zh": "自带模型在留出评价上不差于店铺模型", "en": "the stock model did as well on held-out reviews"},
    "reviews.model.reason.too_few": {"zh": "星级评价不足以训练店铺模型；自带模型用本店评价校准", "en": "too few rated reviews for a store model; the stock model is calibrated on them"},
    "reviews.model.reason.too_few_pooled": {"zh": "本店星级评价不足；自带模型用全部店铺的评价校准", "en": "too few rated reviews in this shop; the stock model is calibrated on all shops' reviews"},
    "reviews.model.reason.too_few_corpus": {"zh": "星级评价太少；自带模型用语料校准", "en": "too few rated reviews; the stock model keeps its corpus calibration"},
    "reviews.model.reason.no_ratings": {"zh": "没有星级评价；自带模型用语料校准", "en": "no rated reviews; the stock model keeps its corpus calibration"},
    "reviews.model.reason.pinned": {"zh": "运营固定选择", "en": "pinned by an operator"},
    "reviews.model.reason.no_store_model": {"zh": "已固定店铺模型，但本店还没有店铺模型：暂用自带模型", "en": "the store model is pinned but there is none yet: the stock model meanwhile"},
    "reviews.model.all_shops": {"zh": "全部店铺合并", "en": "all shops together"},
    "reviews.model.measured_on": {"zh": "{scope} 的留出评价", "en": "Held-out reviews of {scope}"},
    "reviews.model.no_ratings": {
        "zh": "{shop}：没有星级评价，使用自带模型及其语料校准；占比仅供参考。",
        "en": "{shop}: no rated reviews, so the stock model with its corpus calibration is used; shares are only indicative.",
    },
    "reviews.model.too_few": {
        "zh": "{shop}：有文字的 1–2 星 {negative} 条、4–5 星 {positive} 条，训练店铺模型每类至少需要 {minimum} 条，暂不训练。",
        "en": "{shop}: {negative} 1–2★ and {positive} 4–5★ reviews with text; a store model needs at least {minimum} of each, so none is trained yet.",
    },
})
