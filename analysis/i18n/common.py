"""Texts shared by every page and the CLI."""

TEXTS = {
    "app.title": {"zh": "评价与忠诚度洞察", "en": "Review & Loyalty Insights"},
    "error.db_busy": {
        "zh": "数据库正被另一个程序使用，已等待 {seconds} 秒，请稍后再试。",
        "en": "The database is in use by another process; waited {seconds} s, please try again later.",
    },
    "error.unexpected": {
        "zh": "出现了意外错误，数据未做任何改动。请把下面的编号告诉管理员：{ref}",
        "en": "Something unexpected went wrong; no data was changed. Give this reference to your administrator: {ref}",
    },
}
