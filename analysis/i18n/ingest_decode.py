"""Texts of reading hostile files: zip and HTML errors, decoding warnings and line rejections."""

TEXTS = {
    "ingest.bad_zip": {
        "zh": "无法打开压缩包 {file}（已损坏或有密码）。",
        "en": "Cannot open the zip file {file} (damaged or password-protected).",
    },
    "ingest.zip_no_data_file": {
        "zh": "压缩包 {file} 里没有 CSV 或 .xlsx 文件。",
        "en": "The zip file {file} holds no CSV or .xlsx file.",
    },
    "ingest.zip_several_data_files": {
        "zh": "压缩包 {file} 里有多个数据文件（{names}），请解压后逐个导入。",
        "en": "The zip file {file} holds several data files ({names}); unzip it and import them one at a time.",
    },
    "ingest.html_no_table": {
        "zh": "{file} 是网页文件，但里面没有表格。",
        "en": "{file} is a web page without any table.",
    },
    # Reasons, as codes in the JSON report and as text on the page.
    "ingest.reason.lines_decoded_as_gb18030": {
        "zh": "这些行是 GBK/GB18030 编码（文件其余部分是 UTF-8），已按 GBK 读取",
        "en": "these lines were GBK/GB18030 in a UTF-8 file; read as GBK",
    },
    "ingest.reason.lines_decoded_as_utf8": {
        "zh": "这些行是 UTF-8 编码（文件其余部分是 GBK），已按 UTF-8 读取",
        "en": "these lines were UTF-8 in a GBK file; read as UTF-8",
    },
    "ingest.reason.undecodable_line": {
        "zh": "这一行既不是 UTF-8 也不是 GBK，无法读取",
        "en": "the line is neither UTF-8 nor GBK and cannot be read",
    },
    "ingest.reason.truncated_last_character": {
        "zh": "文件在最后一个字符中间被截断，已去掉残缺的字节",
        "en": "the file was cut inside its last character; the partial bytes were dropped",
    },
    "ingest.reason.nul_bytes_removed": {
        "zh": "文件中有空字节（NUL），已删除",
        "en": "NUL bytes in the file were removed",
    },
    "ingest.reason.characters_replaced": {
        "zh": "有无法识别的字符，已替换为 �",
        "en": "unreadable characters were replaced by �",
    },
    "ingest.reason.broken_quote": {
        "zh": "引号没有闭合，这一行无法读取",
        "en": "a quote opened on this line is never closed",
    },
    "ingest.reason.line_too_long": {"zh": "这一行太长，无法读取", "en": "the line is too long to read"},
    "ingest.reason.unreadable_row": {"zh": "这一行无法按 CSV 读取", "en": "the line cannot be read as CSV"},
}
