import pytest


def test_exempt_refund_caps_rebate_at_the_invoice_vat(trade_profit):
    # 10,000 at 13 % VAT with a 13 % rebate; 2,000 from a small supplier invoicing 3 %.
    vat, rebate = trade_profit.rebate_exempt_refund([(10_000, 13, 13), (2_000, 3, 13)])
    assert vat == pytest.approx(1_360)
    assert rebate == pytest.approx(1_360)
    vat, rebate = trade_profit.rebate_exempt_refund([(10_000, 13, 9)])
    assert (vat, rebate) == (pytest.approx(1_300), pytest.approx(900))


def test_exempt_credit_refund_rests_on_fob(trade_profit):
    vat, rebate = trade_profit.rebate_exempt_credit_refund(100_000, 13, 9)
    assert (vat, rebate) == (pytest.approx(13_000), pytest.approx(9_000))


def test_cif_build_up_and_insurance(trade_profit):
    cif = trade_profit.cif_unit_price(10.0, 0.3, 10.0)
    assert cif == pytest.approx(10.0 / (1 - 1.1 * 0.003))
    assert trade_profit.insurance_premium(cif * 1000, 0.3, 10.0) == pytest.approx(
        round(cif * 1000 * 1.1 * 0.003, 2)
    )


def test_insurance_rounds_half_up_once(trade_profit):
    # 12,345.00 x 1.1 x 0.3 % = 40.7385 -> 40.74
    assert trade_profit.insurance_premium(12_345.00, 0.3) == 40.74


def test_real_profit_and_margin(trade_profit):
    profit = trade_profit.real_profit(100_000, 60_000, 2_000, 800, 3_000, 300, 1_500, 7_800, 7_800)
    assert profit == pytest.approx(32_400)
    assert trade_profit.margin(profit, 100_000) == pytest.approx(32.4)
    assert trade_profit.margin(10, 0) == 0.0


def test_commission_rate_base_and_fixed(trade_profit):
    assert trade_profit.commission(3, 50_000, fixed=200, extra=35) == pytest.approx(1_735)
