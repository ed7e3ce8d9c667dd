"""Texts of the importer's platform profiles, shops, buyers and re-imports."""

TEXTS = {
    "db.not_a_database": {
        "zh": "{path} 不是本程序的数据库文件（DuckDB）；请用 --db 指向 .duckdb 文件，或换一个新文件名。",
        "en": "{path} is not a database file of this app (DuckDB); point --db at a .duckdb file or a new file name.",
    },
    "ingest.reason.shop_unknown": {
        "zh": "文件没有店铺列，订单也不在库里，而库里有多个店铺；已记入“默认店铺”，请在导入时选择店铺",
        "en": "the file has no shop column, its orders are not in the store and the store has several shops; "
              "kept under 默认店铺 — choose the shop when importing",
    },
    "ingest.reason.reimported_new_mapping": {
        "zh": "这个文件以前导入过，这次的列对应不同，已按新的对应重新导入（变化的行记为更新）",
        "en": "this file was imported before with another mapping; imported again with this one (changed rows are updates)",
    },
}
