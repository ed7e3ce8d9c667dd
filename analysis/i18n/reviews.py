"""Texts of the review sentiment area (page 评价情感 / Reviews, its CLI commands)."""

TEXTS = {
    "reviews.band.negative": {"zh": "负面", "en": "Negative"},
    "reviews.band.neutral": {"zh": "中性", "en": "Neutral"},
    "reviews.band.positive": {"zh": "正面", "en": "Positive"},
    "reviews.bands.title": {
        "zh": "每周评价情感分布（模型估计）",
        "en": "Weekly review sentiment (model estimate)",
    },
    "reviews.bands.share_axis": {"zh": "占已评分评价的比例（估计）",
                                 "en": "Share of scored reviews (estimate)"},
    "reviews.week_axis": {"zh": "周", "en": "Week"},
    "reviews.aspects.title": {"zh": "差评提到的方面", "en": "What negative reviews mention"},
    "reviews.aspects.trend_title": {"zh": "差评方面每周趋势",
                                    "en": "Aspects of negative reviews per week"},
    "reviews.aspects.count_axis": {"zh": "差评数", "en": "Negative reviews"},
    "reviews.aspect.logistics": {"zh": "物流/快递/发货", "en": "Delivery"},
    "reviews.aspect.packaging": {"zh": "包装", "en": "Packaging"},
    "reviews.aspect.quality": {"zh": "质量", "en": "Quality"},
    "reviews.aspect.workmanship": {"zh": "做工", "en": "Workmanship"},
    "reviews.aspect.size_colour": {"zh": "尺码/颜色", "en": "Size / colour"},
    "reviews.aspect.service": {"zh": "客服/售后", "en": "Customer service"},
    "reviews.aspect.price": {"zh": "价格", "en": "Price"},
    "reviews.aspect.installation": {"zh": "安装", "en": "Installation"},
    "reviews.aspect.description": {"zh": "与描述不符", "en": "Not as described"},
    "reviews.mismatch.five_star_low": {"zh": "五星但文字偏负面",
                                       "en": "5★ with negative wording"},
    "reviews.mismatch.low_star_high": {"zh": "一二星但文字偏正面",
                                       "en": "1–2★ with positive wording"},
    "reviews.mismatch.followup_negative": {"zh": "追评转为负面",
                                           "en": "Follow-up turned negative"},
    "reviews.cli.scored": {
        "zh": "模型 {model}：新评分 {scored} 条，已缓存 {cached} 条，无内容 {no_text} 条，用时 {seconds} 秒",
        "en": "model {model}: scored {scored} new texts, {cached} cached, {no_text} with no text, {seconds} s",
    },
    "reviews.cli.trained": {
        "zh": "店铺模型：负面 {negative} 条，正面 {positive} 条（训练 {train}，留出 {held_out}）；"
              "留出集 准确率 {store_accuracy} / AUC {store_auc}，原始模型 准确率 {stock_accuracy} / AUC {stock_auc}",
        "en": "store model: {negative} negative, {positive} positive ({train} trained, {held_out} held out); "
              "held-out accuracy {store_accuracy} / AUC {store_auc}, stock model accuracy {stock_accuracy} / AUC {stock_auc}",
    },
    "reviews.error.too_few_labels": {
        "zh": "评价不足以训练店铺模型：差评（1–2星）{negative} 条、好评（4–5星）{positive} 条，每类至少需要 {minimum} 条有文字的评价。",
        "en": "Not enough reviews to train a store model: {negative} negative (1–2★) and {positive} positive (4–5★); at least {minimum} reviews with text of each are needed.",
    },
    "reviews.error.no_store_model": {
        "zh": "这个数据库还没有训练店铺模型，请先运行 train-sentiment。",
        "en": "No store model has been trained for this database; run train-sentiment first.",
    },
    "reviews.error.bad_model_file": {
        "zh": "{path} 不是 train-sentiment --out 写出的模型文件。",
        "en": "{path} is not a model file written by train-sentiment --out.",
    },
    "reviews.error.no_database": {
        "zh": "找不到数据库 {path}，无法读取店铺模型。",
        "en": "Database {path} not found, so there is no store model to read.",
    },
}
