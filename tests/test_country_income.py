"""Country income groups: the bundled file is well formed, and a bad value is reported in words."""

import pytest

from kb import country_income


def test_the_bundled_groups_are_the_four_world_bank_groups_with_their_source():
    groups = country_income.bundled()
    assert groups.by_country and set(groups.by_country.values()) <= set(country_income.GROUPS)
    assert groups.source.url.startswith("https://") and groups.source.publisher == "World Bank"
    assert groups.of("us") == groups.of("US") == "high"
    assert groups.of(None) is None and groups.of("XX") is None


def test_a_group_outside_the_four_names_the_country_and_what_is_allowed(tmp_path):
    path = tmp_path / "income.toml"
    path.write_text(
        '[source]\ntitle = "t"\npublisher = "World Bank"\nyear = 2025\nurl = "https://example.org"\n'
        'fiscal_year = "FY2026"\n[countries]\nBR = "upper-middle"\nXY = "rich"\n'
    )
    with pytest.raises(ValueError) as error:
        country_income.read(path)
    assert "XY = 'rich'" in str(error.value) and "low, lower-middle, upper-middle, high" in str(error.value)
