from pathlib import Path

import pytest

from booklet.build import check_folder
from booklet.errors import ProblemsFound
from booklet.themes.fonts import find_face, find_faces
from booklet.themes.theme import Theme
from tests.conftest import TODAY, script_handbook


def test_finds_the_cjk_face_inside_its_collection() -> None:
    face = find_face("Noto Serif CJK SC")
    assert face is not None
    assert face.path.suffix == ".ttc"
    assert ord("债") in face.codepoints and ord("A") in face.codepoints
    bold = find_face("Noto Serif CJK SC", weight=200)
    assert bold is not None and bold.weight > face.weight


def test_missing_family_is_none() -> None:
    assert find_faces(["Noto Serif", "No Such Family 123"])["No Such Family 123"] is None


# A sentence of each script the default theme names faces for (issue 12).
SCRIPT_TEXT = {
    "ar": "يجب أن يرد المؤجر التأمين خلال ثلاثين يومًا؛ اتصل بنا.",
    "he": "המשכיר חייב להחזיר את הפיקדון תוך שלושים יום; התקשרו אלינו.",
    "hi": "मकान मालिक को तीस दिनों के भीतर जमा राशि लौटानी होगी। हमें फ़ोन करें।",
    "th": "ผู้ให้เช่าต้องคืนเงินประกันภายในสามสิบวัน โปรดโทรหาเรา",
    "ko": "임대인은 삼십 일 안에 보증금을 돌려주어야 합니다. 저희에게 연락하세요.",
    "lo": "ສິດທິຂອງຜູ້ເຊົ່າເຮືອນແມ່ນໄດ້ຮັບການປົກປ້ອງຕາມກົດໝາຍ ໂທຫາພວກເຮົາ.",
    "km": "សិទ្ធិរបស់អ្នកជួលផ្ទះត្រូវបានការពារដោយច្បាប់។ សូមទូរស័ព្ទមកយើង។",
    "my": "အိမ်ငှားသူ၏အခွင့်အရေးများကိုဥပဒေဖြင့်ကာကွယ်ထားသည်။",
}


@pytest.mark.parametrize("lang", sorted(SCRIPT_TEXT))
def test_the_default_theme_has_installed_faces_for_each_script(
    mini: Path, theme: Theme, lang: str
) -> None:
    """Arabic, Hebrew, Devanagari, Thai, Korean, Lao, Khmer and Myanmar: the faces the theme names are installed
    (`make setup` installs fonts-noto-core and fonts-noto-cjk) and the glyph check finds
    every character of the text in them; a character of another script is still caught."""
    folder = script_handbook(mini, theme, lang, SCRIPT_TEXT[lang])
    checked = check_folder(folder, theme, TODAY, strict=False)
    assert not [p for p in checked.warnings if "font" in p.message]
    families = theme.font_stack(lang).families
    assert all(checked.faces[family] is not None for family in families), families
    chapter = next((folder / lang).iterdir())
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nབོད\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as found:
        check_folder(folder, theme, TODAY, strict=False)
    assert 'character "བ" (U+0F56)' in str(found.value.problems)
