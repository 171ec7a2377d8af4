"""Languages a service can be used in: ISO 639 codes (British Sign Language is `bfi`)."""

LANGUAGES: dict[str, str] = {
    "en": "English",
    "am": "Amharic",
    "ar": "Arabic",
    "bfi": "British Sign Language",
    "bn": "Bengali",
    "fa": "Farsi (Persian)",
    "fr": "French",
    "gu": "Gujarati",
    "hi": "Hindi",
    "ku": "Kurdish",
    "lt": "Lithuanian",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "so": "Somali",
    "es": "Spanish",
    "sw": "Swahili",
    "ta": "Tamil",
    "ti": "Tigrinya",
    "tr": "Turkish",
    "tw": "Twi",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "yo": "Yoruba",
    "zh": "Chinese",
}


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)
