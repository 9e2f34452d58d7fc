"""Currency and price-level conversions, with cited rates only.

Method, stated once:
- Nominal US dollars: a local-currency amount of year Y is divided by the World Bank WDI official
  exchange rate (PA.NUS.FCRF, LCU per US$, annual average) of year Y. The euro uses the euro-area
  row (EMU). The ECB daily reference rates are kept as a cross-check: the reciprocal of their 2017
  mean equals the WDI euro rate (0.8852 EUR per USD).
- Constant US dollars: nominal dollars × CPI-U(base year) / CPI-U(Y), CPI-U annual averages of the
  BLS monthly index, base year `CPI_BASE_YEAR`.
- PPP (international dollars): a local-currency amount of year Y divided by the WDI private
  consumption PPP factor (PA.NUS.PRVT.PP) of year Y; where Y is past the last year of the series,
  the latest available year is used and said so.
"""

from __future__ import annotations

from dataclasses import dataclass

CPI_BASE_YEAR = 2024

# A currency shared by several economies is read at one economy's rate: the currency area's own
# row where the WDI has one (EMU for the euro), otherwise the issuing country.
CURRENCY_ANCHOR = {
    "EUR": "EMU",
    "USD": "USA",
    "AUD": "AUS",
    "NZD": "NZL",
    "CHF": "CHE",
    "DKK": "DNK",
    "INR": "IND",
    "GBP": "GBR",
    "NOK": "NOR",
    "ZAR": "ZAF",
    "XOF": "SEN",
    "XAF": "CMR",
    "XCD": "ATG",
    "ANG": "CUW",
    "ILS": "ISR",
    "MAD": "MAR",
    "XPF": "PYF",
    "RUB": "RUS",
    "CNY": "CHN",
    "HKD": "HKG",
}


@dataclass(frozen=True)
class Rates:
    """Annual rates keyed by (ISO3 or currency area, year)."""

    lcu_per_usd: dict[tuple[str, int], float]
    ppp_lcu_per_intl: dict[tuple[str, int], float]
    cpi: dict[int, float]
    currency_economy: dict[str, str]

    def _ppp_years(self) -> dict[str, list[int]]:
        """Each economy's PPP years, sorted, indexed once (a scan of every key per call was a
        tenth of the build)."""
        index = self.__dict__.get("_ppp_index")
        if index is None:
            index = {}
            for code, y in sorted(self.ppp_lcu_per_intl):
                index.setdefault(code, []).append(y)
            self.__dict__["_ppp_index"] = index
        return index

    def economy_of(self, currency: str) -> str:
        return self.currency_economy[currency]

    def usd_rate(self, currency: str, year: int) -> float | None:
        """Units of `currency` per US dollar in `year`, or None when the WDI has no rate."""
        if currency == "USD":
            return 1.0
        economy = self.currency_economy.get(currency)
        if economy is None:
            return None
        return self.lcu_per_usd.get((economy, year))

    def to_usd(self, amount: float, currency: str, year: int) -> float | None:
        rate = self.usd_rate(currency, year)
        return None if rate is None else amount / rate

    def deflate(self, usd: float, year: int, base: int = CPI_BASE_YEAR) -> float | None:
        """Nominal dollars of `year` in constant dollars of `base`."""
        if year not in self.cpi or base not in self.cpi:
            return None
        return usd * self.cpi[base] / self.cpi[year]

    def ppp_factor(self, iso3: str, year: int) -> tuple[float, int] | None:
        """(LCU per international $, year used): the latest year ≤ `year` with a value."""
        years = [y for y in self._ppp_years().get(iso3, ()) if y <= year]
        if not years:
            return None
        used = years[-1]
        return self.ppp_lcu_per_intl[(iso3, used)], used
