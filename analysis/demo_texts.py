"""Vocabulary of the demo store: products, people, places and a grammar for review texts.

Review texts are assembled from aspect phrases (物流, 包装, 质量, 做工, 尺码/颜色, 客服, 价格,
安装 …) so that thousands of reviews rarely repeat, and so that the stock sentiment model
scores them the way real ones score: long enthusiastic texts high, complaints low.
"""

from __future__ import annotations

import random

# (title, kind, unit price in yuan). Kinds pick the aspects a review talks about.
PRODUCTS: list[tuple[str, str, float]] = [
    ("重磅真丝连衣裙 法式气质桑蚕丝长裙", "wear", 1299.00),
    ("双面羊绒大衣 女中长款 100%山羊绒", "wear", 2699.00),
    ("90白鹅绒长款羽绒服 加厚保暖", "wear", 1899.00),
    ("头层牛皮通勤托特包 大容量", "wear", 1499.00),
    ("扫地机器人 扫拖一体 自动集尘", "appliance", 3299.00),
    ("全自动意式咖啡机 家用研磨一体", "appliance", 2499.00),
    ("空气净化器 除甲醛除菌 卧室家用", "appliance", 1599.00),
    ("智能马桶盖 即热式 自动冲洗", "appliance", 1999.00),
    ("家用全身按摩椅 零重力太空舱", "appliance", 3999.00),
    ("无线洗地机 吸拖洗一体", "appliance", 2199.00),
    ("羊毛针织开衫 女宽松慵懒风", "wear", 459.00),
    ("真皮切尔西短靴 女粗跟", "wear", 599.00),
    ("声波电动牙刷 情侣套装", "appliance", 299.00),
    ("空气炸锅 大容量可视窗", "appliance", 399.00),
    ("破壁料理机 静音加热", "appliance", 499.00),
    ("新疆长绒棉蚕丝被 子母被", "home", 699.00),
    ("乳胶枕 泰国进口 护颈", "home", 269.00),
    ("纯棉短袖T恤 男女同款 重磅", "wear", 79.00),
    ("珊瑚绒加厚睡衣套装 秋冬", "wear", 129.00),
    ("抗菌棉袜 5双装", "wear", 29.90),
    ("全棉四件套 简约水洗棉 1.8m床", "home", 199.00),
    ("316不锈钢保温杯 大容量", "home", 149.00),
    ("冻干双拼猫粮 2kg 全价成猫粮", "pet", 159.00),
    ("宠物零食 冻干鸡胸肉 500g", "pet", 39.90),
    ("每日坚果礼盒 30包", "food", 99.00),
    ("挂耳咖啡 中深烘焙 50包", "food", 69.00),
    ("洗衣凝珠 持久留香 60颗", "daily", 49.90),
    ("补水保湿面膜 20片", "daily", 129.00),
    ("快充数据线 1.5m 两条装", "digital", 39.00),
    ("磁吸手机壳 防摔透明", "digital", 35.00),
]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉婷雪琳晨浩宇欣怡子涵梓轩佳琪思雨博文俊")
NICK_WORDS = ["快乐", "小猫", "阳光", "甜甜", "宝贝", "晴天", "柠檬", "大白", "豆豆", "喵喵", "可乐",
              "微笑", "清风", "小鱼", "月亮", "星星", "奶茶", "糖糖", "果果", "木木"]

# (province, [cities]) weighted by rough online-shopping volume: the big coastal provinces first.
PLACES: list[tuple[str, list[str]]] = [
    ("广东省", ["广州市", "深圳市", "东莞市", "佛山市"]),
    ("浙江省", ["杭州市", "宁波市", "温州市"]),
    ("江苏省", ["南京市", "苏州市", "无锡市"]),
    ("上海", ["上海市"]),
    ("北京", ["北京市"]),
    ("山东省", ["济南市", "青岛市"]),
    ("四川省", ["成都市", "绵阳市"]),
    ("福建省", ["福州市", "厦门市"]),
    ("湖北省", ["武汉市", "宜昌市"]),
    ("河南省", ["郑州市", "洛阳市"]),
    ("湖南省", ["长沙市"]),
    ("陕西省", ["西安市"]),
    ("辽宁省", ["沈阳市", "大连市"]),
    ("重庆", ["重庆市"]),
]
PLACE_WEIGHTS = [16, 13, 12, 9, 8, 7, 6, 5, 5, 5, 4, 3, 3, 4]
DISTRICTS = ["高新区", "经开区", "滨江区", "朝阳区", "南山区", "鼓楼区", "天河区", "江北区", "新城区", "中心城区"]
ROADS = ["人民路", "建设路", "解放路", "中山路", "文化路", "和平路", "学府路", "新华路", "长江路", "花园路"]

PLACEHOLDERS = ["此用户未及时填写评价内容", "您没有填写内容，默认好评", "评价方未及时做出评价,系统默认好评!"]
SHORT_GOOD = ["好评", "不错", "很好", "满意", "挺好的", "好", "五星好评", "还可以", "东西不错"]

# aspect -> (positive phrases, negative phrases); "kinds" limits aspects to what a product has.
ASPECTS: dict[str, tuple[list[str], list[str]]] = {
    "物流": (["物流很快，隔天就到了", "快递小哥很负责，送货上门", "发货速度快，物流给力", "顺丰发货，第二天就收到了"],
             ["物流太慢了，等了一个星期才到", "快递一直不更新，催了好几次", "快递放驿站也不通知，找了半天",
              "发货拖了三天才发"]),
    "包装": (["包装很用心，里三层外三层", "包装精致，送人很有面子", "包装完好无损，还有小礼物"],
             ["包装太简陋了，盒子都压扁了", "外包装破损，里面也有划痕", "包装很敷衍，就一个塑料袋"]),
    "质量": (["质量非常好，物超所值", "质量很好，用料扎实", "品质没得说，大牌的感觉"],
             ["质量很差，用了两天就坏了", "质量一般，和价格不符", "有明显瑕疵，像是退货再卖的"]),
    "做工": (["做工精细，细节处理得很好", "做工很精致，没有线头", "走线工整，做工考究"],
             ["做工粗糙，到处是线头", "做工一般，接缝处开胶了", "细节做得很差，边角毛糙"]),
    "客服": (["客服态度特别好，有问必答", "客服很耐心，推荐的很合适", "客服回复及时，服务周到"],
             ["客服爱答不理，问了半天没人回", "客服态度很差，一直推脱", "找客服处理问题，一直踢皮球"]),
    "价格": (["性价比很高，活动价很划算", "价格实惠，比实体店便宜很多", "这个价格买到真的值"],
             ["刚买完就降价了，也不给保价", "价格偏贵，不值这个价", "说好的优惠没有用上"]),
    "尺码": (["尺码标准，按平时的码数买就对了", "尺码很合适，上身效果很好", "版型很正，尺码刚刚好"],
             ["尺码偏小一码，穿着很紧", "尺码严重偏大，只能退换", "尺码和详情页标的不一样"]),
    "颜色": (["颜色和图片一样，很正", "颜色很高级，很显白", "没有色差，颜色很好看"],
             ["色差很大，和图片完全不一样", "颜色发暗，不是想要的颜色", "洗了一次就掉色了"]),
    "面料": (["面料手感很好，很舒服", "面料柔软亲肤，不起球", "摸起来很顺滑，很有质感"],
             ["面料很薄，有点透", "起球很严重，穿了一次就起球", "面料有股怪味，洗了还有"]),
    "安装": (["师傅上门安装很专业，很快就装好了", "安装简单，看说明书就会", "安装师傅很细心，还帮忙调试"],
             ["预约安装等了五天都没人来", "安装师傅乱收费", "说明书看不懂，安装很麻烦"]),
    "功能": (["功能很强大，用起来很方便", "噪音很小，效果很明显", "操作简单，老人也会用"],
             ["噪音很大，晚上根本没法用", "用了几次就出故障了", "效果一般，没有宣传的那么好"]),
    "口感": (["味道很好，家里人都爱吃", "很新鲜，日期也很新", "口感很香，一点都不腻"],
             ["日期不新鲜，快过期了", "味道很奇怪，不敢再吃", "有几包受潮了，口感很差"]),
    "适口性": (["猫咪很爱吃，吃得很香", "主子很喜欢，每次都吃光", "生产日期很新，颗粒大小合适"],
              ["猫咪闻了闻就不吃了", "吃了以后软便，不敢再喂", "有一袋漏气了，不敢给猫吃"]),
    "效果": (["香味很淡雅，洗完很干净", "用完皮肤水水的，很舒服", "效果很明显，会一直用"],
             ["用了过敏，脸上起了红疹", "味道太冲了，闻着头晕", "效果很一般，没什么感觉"]),
}
KIND_ASPECTS = {
    "wear": ["尺码", "颜色", "面料", "做工"],
    "appliance": ["安装", "功能"],
    "home": ["面料", "做工"],
    "pet": ["适口性"],
    "food": ["口感"],
    "daily": ["效果"],
    "digital": ["功能"],
}
COMMON_ASPECTS = ["物流", "包装", "质量", "客服", "价格"]

OPENERS = ["收到了，", "东西收到了，", "第二次购买了，", "用了一段时间才来评价，", "给家人买的，", "",
           "双十一囤的货，", "朋友推荐来买的，"]
GOOD_CLOSERS = ["非常满意，会回购的！", "推荐购买。", "很喜欢，好评！", "总体很满意。", "值得购买。", ""]
RAVE_CLOSERS = ["已经是第三次购买了，一如既往的好，值得信赖的店铺，强烈推荐！",
                "非常非常满意，已经推荐给身边的朋友了，会一直回购的！",
                "超出预期，老公和孩子都很喜欢，这家店以后就认准了，五星好评！",
                "一如既往的好，品质有保障，服务也贴心，以后还会再来的，强烈推荐！"]
BAD_CLOSERS = ["非常失望，不会再买了。", "差评！", "不推荐购买。", "很生气，浪费时间。", "太失望了。"]
MIXED_JOINS = ["，就是", "，但是", "，不过", "，唯一不足的是"]
SOLVED = ["中间有点小问题，联系客服很快就解决了，", "刚开始有点问题，客服耐心处理，给补发了，",
          "收到有点瑕疵，客服二话不说就给换了，"]
UNSOLVED = ["找了客服也没解决，", "联系客服一直拖着不处理，", "申请售后被拒绝了，"]

GOOD_FOLLOWUPS = ["用了一个月了，依然很好，没有任何问题。", "回购了，还是一样的好。", "洗了几次也没有变形，很耐穿。",
                  "家人都说好，值得推荐。"]
BAD_FOLLOWUPS = ["用了半个月就坏了，售后也不管。", "追评：越用越差，后悔买了。", "洗了一次就缩水了，差评。"]
BAD_REPLIES = ["亲，非常抱歉给您带来不好的购物体验，已安排专属客服联系您处理，请您留意消息。",
               "亲，看到您的反馈我们很重视，麻烦您联系在线客服，我们一定给您一个满意的答复。",
               "非常抱歉！关于{aspect}的问题我们已经反馈给相关部门，客服会第一时间联系您。",
               "亲，给您添麻烦了，我们支持七天无理由退换，运费由我们承担，请联系客服处理。"]
GOOD_REPLIES = ["感谢亲的支持与喜爱，期待您的再次光临！", "谢谢亲的认可，我们会继续努力的～",
                "感谢您的好评，祝您生活愉快！"]

# Ticket vocabulary: categories by the aspect a complaint is about.
TICKET_CATEGORY = {"物流": "物流", "包装": "物流", "质量": "质量", "做工": "质量", "功能": "质量", "口感": "质量",
                   "尺码": "尺码", "颜色": "退换货", "面料": "质量", "安装": "安装", "客服": "服务", "价格": "价格",
                   "适口性": "质量", "效果": "质量"}
SOLVED_OUTCOMES = ["已解决", "已解决", "已补发", "已换货"]
ROUTINE_CATEGORIES = ["物流", "发票", "尺码", "修改地址", "退换货", "售前咨询"]
REFUND_REASONS = ["七天无理由退货", "质量问题", "尺码不合适", "发错货", "与描述不符", "不想要了"]
CHANNELS = {"天猫旗舰店": ["旺旺", "在线客服", "电话"], "京东自营店": ["京东咚咚", "在线客服", "电话"]}
CHANNEL_WEIGHTS = [6, 3, 1]
# Outcome -> share of calls; the outcome words are analysis.care.OUTCOMES.
CARE_OUTCOMES = {"reached": 0.7, "no_answer": 0.22, "problem_found": 0.08}
CARE_NOTES = {"reached": ["客户表示满意", "已收到，没有问题", "客户说包装很好"],
              "no_answer": ["无人接听", "占线，未接通"], "problem_found": ["反映{a}问题，已登记跟进"]}


def person_name(rng: random.Random) -> str:
    """A Chinese name such as 王思雨."""
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def phone(rng: random.Random) -> str:
    """An 11-digit mobile number (13x–19x)."""
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def place(rng: random.Random) -> tuple[str, str, str]:
    """(province, city, street address)."""
    prov, cities = rng.choices(PLACES, weights=PLACE_WEIGHTS)[0]
    city = rng.choice(cities)
    addr = (f"{prov}{city if city != prov else ''}{rng.choice(DISTRICTS)}{rng.choice(ROADS)}"
            f"{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(1, 32)}0{rng.randint(1, 6)}室")
    return prov, city, addr


def aspects_for(kind: str) -> list[str]:
    """The aspects a review of a product of ``kind`` may talk about."""
    return KIND_ASPECTS[kind] + COMMON_ASPECTS


def _phrases(rng, kind, k, positive, avoid=()):
    pool = [a for a in aspects_for(kind) if a not in avoid]
    chosen = rng.sample(pool, min(k, len(pool)))
    return [rng.choice(ASPECTS[a][0 if positive else 1]) for a in chosen], chosen


def good_text(rng: random.Random, kind: str, *, rave: bool = False) -> str:
    """A positive review: an opener, two to five aspect praises and a closer."""
    parts, _ = _phrases(rng, kind, rng.randint(4, 5) if rave else rng.randint(2, 3), True)
    closer = rng.choice(RAVE_CLOSERS if rave else GOOD_CLOSERS)
    return rng.choice(OPENERS) + "，".join(parts) + "，" + closer


def bad_text(rng: random.Random, kind: str, aspect: str, *, contacted: bool = False) -> str:
    """A negative review centred on ``aspect``; ``contacted`` mentions a failed service contact."""
    first = rng.choice(ASPECTS[aspect][1])
    more, _ = _phrases(rng, kind, rng.randint(0, 2), False, avoid=(aspect,))
    middle = rng.choice(UNSOLVED) if contacted else ""
    return "，".join([first, *more]) + "，" + middle + rng.choice(BAD_CLOSERS)


def solved_text(rng: random.Random, kind: str) -> str:
    """A good review after customer service fixed a problem (bad-review path a)."""
    parts, _ = _phrases(rng, kind, 2, True, avoid=("客服",))
    return rng.choice(SOLVED) + "，".join(parts) + "，" + rng.choice(ASPECTS["客服"][0]) + "，好评！"


def mixed_text(rng: random.Random, kind: str) -> tuple[str, str]:
    """A review with praise and one complaint; returns (text, the complaint's aspect)."""
    good, used = _phrases(rng, kind, rng.randint(1, 2), True)
    bad, aspect = _phrases(rng, kind, 1, False, avoid=used)
    return "，".join(good) + rng.choice(MIXED_JOINS) + bad[0] + "。", aspect[0]


def complaint_text(rng: random.Random, kind: str) -> str:
    """A short complaint, as written under five stars by buyers who click 好评 anyway."""
    aspect = rng.choice(aspects_for(kind))
    return rng.choice(ASPECTS[aspect][1]) + "。"


def seller_reply(rng: random.Random, negative: bool, aspect: str = "商品") -> str:
    """The shop's public reply to a review."""
    return rng.choice(BAD_REPLIES if negative else GOOD_REPLIES).format(aspect=aspect)


PRAISE, COMPLAINT, MIXED, NEITHER = "praise", "complaint", "mixed", "neither"


def written_polarity(text: str | None) -> str:
    """How a text made by this module was written: :data:`PRAISE` (only praise phrases),
    :data:`COMPLAINT` (only complaint phrases), :data:`MIXED` (both) or :data:`NEITHER`
    (placeholders, no text). The demo's texts are assembled from the phrase lists above, so
    the lists say which side each text is on: what the sentiment tests check the models by.
    """
    if not text:
        return NEITHER
    negative = [p for _, bad in ASPECTS.values() for p in bad] + BAD_CLOSERS + UNSOLVED \
        + BAD_FOLLOWUPS
    positive = [p for good, _ in ASPECTS.values() for p in good] + RAVE_CLOSERS + SOLVED \
        + GOOD_FOLLOWUPS + [c for c in GOOD_CLOSERS if c]
    bad = any(p in text for p in negative)
    good = text in SHORT_GOOD or any(p in text for p in positive)
    if bad and good:
        return MIXED
    return COMPLAINT if bad else PRAISE if good else NEITHER
