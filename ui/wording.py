"""Wording every page, export and printed report repeats: the illustrative-data notice and the
attribution of the open data. No Streamlit here, so ``reports`` can print the same sentences.

The notice is Markdown (``**bold**``); pages pass it to Streamlit, reports turn it into HTML.
"""

ILLUSTRATIVE_NOTICE = (
    "**Illustrative data.** Indicator values, targets, actions and commentary are made up for "
    "demonstration. Ward and LSOA boundaries, IMD 2019 and population are real published data. "
    "The six priority neighbourhoods are illustrative approximations built from LSOAs, not the "
    "Council's own boundaries."
)
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021. "
    "English Indices of Deprivation 2019: Ministry of Housing, Communities and Local Government (OGL v3.0). "
    "IMD 2019 score and income/employment scores taken from mySociety's Composite UK IMD dataset (CC BY 4.0). "
    "Community committee membership: Leeds City Council."
)
