"""Writes posts.jsonl: invented promotion and ordinary posts in six languages.

    python tests/data/multilingual/generate.py

Every post is assembled from the words and phrases below (written for this fixture, not
collected): a drug word joined to an offer word, delivery, payment and contact prompts with app
words for promotion posts; daily life, pharmacy and anti-drug talk with the same drug words and
innocent invitations with the same app words for ordinary posts, so the two classes share words.
5% of labels are flipped (the hard cases coders disagree on), so no model reaches 100. Handles and ids are invented, phone numbers are
in ranges reserved for fiction (US 555-01xx, UK 07700 900xxx). Seeded: the same file each run.

Limits: templates, not people. Phrases repeat across posts, so a model can learn a language's
phrase list; per-language scores from this file compare tokenizers, they do not estimate how
well a model finds dealers in that language.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

POSTS_PER_CLASS = 150
FLIPPED = 0.05  # posts whose label says the opposite of their words: coders' hard cases
HERE = Path(__file__).parent

# Per language: drug slang, offer words (joined to a drug word the way the language writes,
# "冰毒现货", "tengo mota"), delivery and payment, contact prompts with an app word, daily life,
# pharmacy and anti-drug talk that uses the same drug words, innocent invitations that use the
# same app words, emoji and hashtags. ``spaced``: words separated by spaces.
LANGS = {
    "zh": {
        "spaced": False,
        "drugs": ["冰毒", "冰", "K粉", "麻古", "叶子", "大麻", "摇头丸"],
        "offers": ["现货", "有货", "出售", "批发", "到货了", "质量好", "便宜出"],
        "delivery": ["同城闪送", "快递包邮", "当天到", "保密发货", "货到付款", "老客户优惠"],
        "contact": ["加V私聊", "纸飞机联系", "vx：demo_zh_{n}", "飞机 @tgdemo{n}", "微信下单"],
        "daily": [
            "今天天气很好",
            "和朋友去吃火锅",
            "周末又要加班",
            "晚上去健身房",
            "这家奶茶太好喝了",
            "周末去爬山",
            "新年快乐",
            "下班回家",
        ],
        "aware": [
            "珍爱生命远离{d}",
            "{d}害人害己",
            "新闻说警察查获{d}",
            "禁毒宣传：{d}的危害",
            "药店买了感冒药",
            "医生说要按时吃药",
        ],
        "innocent": ["加我微信一起打游戏", "飞机群里聊天", "私聊我发照片", "快递到了好开心"],
        "emoji": ["🍃", "❄️", "💊", "✈️", "🔥", "😋", "🌞", "🍜"],
        "tags": ["#日常", "#同城", "#美食", "#生活"],
        "drug_tags": ["#冰毒", "#叶子", "#禁毒", "#大麻"],
    },
    "ja": {
        "spaced": False,
        "drugs": ["野菜", "アイス", "冷たいの", "手押し", "ブツ", "紙", "草"],
        "offers": [
            "あります",
            "入荷しました",
            "在庫あり",
            "即日発送",
            "高品質です",
            "お安くします",
        ],
        "delivery": ["秘密厳守", "匿名配送", "郵送も手渡しも可能", "都内即日", "リピーター割引"],
        "contact": [
            "テレグラムで連絡ください",
            "シグナルのみ対応",
            "ライン: jademo{n}",
            "テレグラム @tgdemo{n}",
            "DMください",
        ],
        "daily": [
            "ラーメン食べた",
            "仕事終わりにカラオケ",
            "今日は雨で寒い",
            "週末は温泉",
            "新しいカフェを見つけた",
            "桜がきれいでした",
            "家でゆっくり",
            "映画を見た",
        ],
        "aware": [
            "ダメ。ゼッタイ。{d}",
            "{d}のニュースを見た",
            "{d}は危険です",
            "薬局で風邪薬を買った",
            "病院で薬をもらった",
            "野菜たっぷりのカレー",
        ],
        "innocent": ["ラインで写真送るね", "DMくださいね", "テレグラム始めました", "郵送で届いた"],
        "emoji": ["🥬", "❄️", "🍁", "📦", "🍜", "🌸", "☕", "😊"],
        "tags": ["#日常", "#カフェ", "#東京", "#週末"],
        "drug_tags": ["#手押し", "#野菜", "#アイス", "#ダメゼッタイ"],
    },
    "th": {
        "spaced": False,
        "drugs": ["ยาบ้า", "ไอซ์", "กัญชา", "ยาอี", "ยาไอซ์", "ของ"],
        "offers": ["พร้อมส่ง", "ของแท้", "เกรดดี", "มีของ", "ราคาส่ง", "ลดราคา"],
        "delivery": ["ส่งด่วนทั่วประเทศ", "เก็บเงินปลายทาง", "แพ็คมิดชิด", "รับประกัน", "ลูกค้าประจำลดพิเศษ"],
        "contact": [
            "ทักไลน์มาได้เลยครับ",
            "แอดไลน์สั่งซื้อ",
            "ไลน์: thdemo{n}",
            "ไอดีไลน์ demo_th_{n}",
            "เทเลแกรม @thdemo{n}",
        ],
        "daily": [
            "วันนี้กินข้าวกับเพื่อน",
            "ไปเที่ยวทะเลมา",
            "อากาศร้อนมาก",
            "กาแฟร้านนี้อร่อย",
            "ออกกำลังกายตอนเช้า",
            "ดูหนังกับครอบครัว",
            "ทำอาหารกินเอง",
            "วันหยุดสบายๆ",
        ],
        "aware": [
            "{d}ให้โทษ อย่าลอง",
            "ข่าวตำรวจจับ{d}",
            "รณรงค์ต่อต้าน{d}",
            "ซื้อยาแก้หวัดที่ร้านขายยา",
            "หมอให้ยามากินตรงเวลา",
        ],
        "innocent": ["แอดไลน์มาคุยกันนะ", "ส่งของขวัญให้แม่", "ทักมาคุยได้", "ของขวัญพร้อมส่ง"],
        "emoji": ["💊", "❄️", "🌿", "🚚", "🍛", "🏖️", "☕", "😄"],
        "tags": ["#กินข้าว", "#เที่ยว", "#กาแฟ", "#พร้อมส่ง"],
        "drug_tags": ["#ยาบ้า", "#ไอซ์", "#กัญชา", "#ยาเสพติด"],
    },
    "ko": {
        "spaced": True,
        "drugs": ["아이스", "떨", "작대기", "캔디", "물건"],
        "offers": ["팝니다", "있어요", "판매", "최상급", "입고", "할인"],
        "delivery": ["던지기 가능", "전국 직거래", "시크릿 배송", "샘플 먼저", "안전하게 보내드림"],
        "contact": [
            "텔레그램으로 연락",
            "위커 아이디 남겨요",
            "텔레 @kodemo{n}",
            "위커 demo_ko_{n}",
            "문의 주세요",
        ],
        "daily": [
            "오늘 점심은 김치찌개",
            "카페에서 공부",
            "주말에 등산",
            "비가 와서 우울",
            "친구 생일 파티",
            "운동 끝나고 치킨",
            "새로 산 운동화",
            "퇴근길",
        ],
        "aware": [
            "{d} 근절 캠페인",
            "{d} 뉴스 보고 놀람",
            "{d} 절대 안돼요",
            "약국에서 감기약",
            "병원에서 약 처방",
        ],
        "innocent": [
            "카톡 추가해서 같이 놀자",
            "텔레그램 단톡방",
            "문의는 댓글로",
            "아이스 아메리카노",
        ],
        "emoji": ["❄️", "🌿", "💉", "📦", "☕", "🍗", "🏔️", "😊"],
        "tags": ["#일상", "#카페", "#맛집", "#운동"],
        "drug_tags": ["#아이스", "#떨", "#던지기", "#마약퇴치"],
    },
    "es": {
        "spaced": True,
        "drugs": ["perico", "cristal", "mota", "piedra", "xanax", "percocet", "tusi"],
        "offers": ["tengo", "hay", "disponible", "de la buena", "a buen precio", "mayoreo"],
        "delivery": [
            "envío discreto",
            "entrega en mano",
            "todo el país",
            "pago en efectivo",
            "servicio rápido",
        ],
        "contact": [
            "escribe al whatsapp",
            "contáctame por telegram",
            "wa 555-01{n2}",
            "telegram @esdemo{n}",
            "manda dm",
        ],
        "daily": [
            "comida con la familia",
            "fiesta con amigos",
            "qué calor hace hoy",
            "tacos al pastor",
            "entrenamiento en el gimnasio",
            "viaje a la playa",
            "feliz cumpleaños hermana",
            "café de la mañana",
        ],
        "aware": [
            "campaña contra el {d}",
            "noticia: decomisan {d}",
            "el {d} destruye familias",
            "fui a la farmacia por medicina",
            "el médico me dio una receta",
        ],
        "innocent": [
            "escríbeme al whatsapp para la fiesta",
            "manda dm para fotos",
            "envío de regalos",
            "telegram del grupo",
        ],
        "emoji": ["🍃", "❄️", "💊", "📦", "🌮", "🎉", "☀️", "😂"],
        "tags": ["#comida", "#fiesta", "#cdmx", "#viernes"],
        "drug_tags": ["#mota", "#perico", "#cristal", "#nodrogas"],
    },
    "en": {
        "spaced": True,
        "drugs": ["xans", "bars", "percs", "30s", "oxy", "molly", "addy"],
        "offers": ["in stock", "available", "got", "restocked", "cheap", "plug has"],
        "delivery": [
            "discreet shipping",
            "same day delivery",
            "cashapp or btc",
            "legit vendor",
            "worldwide",
        ],
        "contact": [
            "hit my wickr",
            "dm for the menu",
            "wickr: endemo{n}",
            "snap @endemo{n}",
            "kik me",
        ],
        "daily": [
            "brunch with the girls",
            "leg day at the gym",
            "beach weekend",
            "new puppy",
            "coffee before work",
            "movie night",
            "happy birthday mom",
            "sunday vibes",
        ],
        "aware": [
            "sixty days clean from {d}",
            "lost a friend to {d}",
            "my doctor prescribed {d}",
            "picked up my prescription",
            "just say no campaign",
        ],
        "innocent": [
            "add my snap for the party pics",
            "dm me for the playlist",
            "shipping my etsy orders",
            "kik me later",
        ],
        "emoji": ["💊", "🔌", "📦", "💰", "🏋️", "☕", "🐶", "😂"],
        "tags": ["#gym", "#brunch", "#weekend", "#mood"],
        "drug_tags": ["#xanax", "#percs", "#plug", "#recovery"],
    },
}


def _post(rng: random.Random, lang: str, label: int, n: int) -> dict:
    v = LANGS[lang]
    num = {"n": n, "n2": f"{n % 100:02d}", "n3": f"{n % 1000:03d}"}
    glue = " " if v["spaced"] else ""
    if label:
        drug, offer = rng.choice(v["drugs"]), rng.choice(v["offers"])
        parts = [glue.join([offer, drug] if v["spaced"] and rng.random() < 0.5 else [drug, offer])]
        parts += rng.sample(v["delivery"] + v["contact"], rng.randint(1, 2))
        if rng.random() < 0.3:
            parts.append(rng.choice(v["daily"]))
    else:
        parts = rng.sample(v["daily"], rng.randint(1, 2))
        if rng.random() < 0.4:
            parts.append(rng.choice(v["aware"]).format(d=rng.choice(v["drugs"])))
        if rng.random() < 0.3:
            parts.append(rng.choice(v["innocent"]))
    parts = [p.format(**num) for p in parts] + [rng.choice(v["emoji"])]
    rng.shuffle(parts)
    sep = " " if v["spaced"] else rng.choice(["", "", " ", "，" if lang == "zh" else "、"])
    pool = v["tags"] + (v["drug_tags"] if label or rng.random() < 0.3 else [])
    tags = rng.sample(pool, rng.randint(0, 2))
    shown = label if rng.random() >= FLIPPED else 1 - label
    return {
        "id": f"ml_{lang}_{label}_{n:03d}",
        "user": f"fixture_{lang}_{rng.randrange(40):02d}",
        "timestamp": f"2018-08-{1 + n % 28:02d}T12:00:00Z",
        "caption": sep.join(parts) + (" " + " ".join(tags) if tags else ""),
        "label": shown,
        "expected_language": lang,
    }


def generate(seed: int = 2019) -> list[dict]:
    rng = random.Random(seed)
    return [
        _post(rng, lang, label, n)
        for lang in LANGS
        for label in (1, 0)
        for n in range(POSTS_PER_CLASS)
    ]


if __name__ == "__main__":
    with open(HERE / "posts.jsonl", "w", encoding="utf-8") as fh:
        for post in generate():
            fh.write(json.dumps(post, ensure_ascii=False) + "\n")
