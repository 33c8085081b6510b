"""Wording every page, export and printed report repeats: the illustrative-data notice and the
attribution of the open data. No Streamlit here, so ``reports`` can print the same sentences.

The notice is Markdown (``**bold**``); pages pass it to Streamlit, reports turn it into HTML.
"""

ILLUSTRATIVE_NOTICE = (
    "**Illustrative data.** Indicator values, targets, actions and commentary are made up for "
    "demonstration, except the Claimant Count and fuel poverty indicators, which are real published "
    "figures. Ward and LSOA boundaries (2011 and 2021), IMD 2019, IMD 2025 and population are real "
    "published data. "
    "The six priority neighbourhoods are illustrative approximations built from LSOAs, not the "
    "Council's own boundaries."
)
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021. "
    "English Indices of Deprivation 2019: Ministry of Housing, Communities and Local Government (OGL v3.0). "
    "IMD 2019 score and income/employment scores taken from mySociety's Composite UK IMD dataset (CC BY 4.0). "
    "Community committee membership: Leeds City Council. "
    "Contains OS data © Crown copyright and database right 2021 (LSOA 2021 boundaries). "
    "English Indices of Deprivation 2025: Ministry of Housing, Communities and Local Government (OGL v3.0). "
    "Claimant Count: Office for National Statistics and DWP, via Nomis (OGL v3.0). "
    "Sub-regional fuel poverty 2022: Department for Energy Security and Net Zero (OGL v3.0)."
)
REAL_DATA_NOTE = ("Real published data (not illustrative): {source}. Contains public sector information licensed "
                  "under the Open Government Licence v3.0.")
