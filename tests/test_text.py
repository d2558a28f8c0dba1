import re
import subprocess
import sys

import pytest

from rootcause.text import mask_pii, normalize, prepare, segment


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        ("ＡＴＭ吞卡了！！！", "atm吞卡了!"),
        ("  手机银行\n\n\t闪退  ", "手机银行 闪退"),
        ("銀行櫃員態度很差", "银行柜员态度很差"),
        ("客服<br/>不理人&nbsp;😡😡", "客服 不理人"),
        ("VIP客户？？？", "vip客户?"),
        ("ＯＴＰ验证码收不到～～", "otp验证码收不到~"),
        ("", ""),
    ],
)
def test_normalize(text_in, text_out):
    assert normalize(text_in) == text_out


@pytest.mark.parametrize("text", ["ＡＢＣ　１２３", "銀行！！", "a\u0000b\ud800c", "<p>x</p>", "  "])
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        ("卡号6222021234567890123丢了", "卡号<CARD>丢了"),
        ("卡号6222 0212 3456 7890", "卡号<CARD>"),
        ("卡号6222-0212-3456-7890-12", "卡号<CARD>"),
        ("电话13912345678", "电话<PHONE>"),
        ("电话139 1234 5678", "电话<PHONE>"),
        ("座机010-62345678", "座机<PHONE>"),
        ("身份证号11010119900307123X", "身份证号<ID>"),
        ("邮箱zhang.san@example.com", "邮箱<EMAIL>"),
        ("扣了¥1,200.50", "扣了<AMOUNT>"),
        ("被扣了3.5万", "被扣了<AMOUNT>"),
        ("收了我200元手续费", "收了我<AMOUNT>手续费"),
        ("订单号12345678901234567890123", "订单号<NUMBER>"),
        ("2023年5月3日排队2小时", "2023年5月3日排队2小时"),
    ],
)
def test_mask_pii(text_in, text_out):
    assert mask_pii(text_in) == text_out


def test_prepare_masks_full_width_card_numbers():
    assert "<CARD>" in prepare("卡号６２２２０２１２３４５６７８９０１２３")
    assert not re.search(r"\d{12,}", prepare("卡号６２２２０２１２３４５６７８９０１２３"))


@pytest.mark.parametrize("term", ["手机银行", "大堂经理", "代发工资", "吞卡", "理财产品", "信用卡", "征信", "挂失", "柜员"])
def test_domain_terms_stay_one_token(term):
    assert term in segment(prepare(f"我去办{term}的时候出了问题"))


def test_segment_keeps_mask_tokens_and_drops_stopwords_and_punctuation():
    words = segment(prepare("我的卡6222021234567890123被吞了！！"))
    assert "<CARD>" in words
    assert "的" not in words and "!" not in words
    assert "我" in words  # pronouns carry meaning for the customer label


def test_jieba_start_up_is_silent():
    code = "from rootcause.text import segment; print(segment('柜员态度差'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == ""
    assert "柜员" in done.stdout
