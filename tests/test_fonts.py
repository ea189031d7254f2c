from booklet.themes.fonts import find_face, find_faces


def test_finds_the_cjk_face_inside_its_collection() -> None:
    face = find_face("Noto Serif CJK SC")
    assert face is not None
    assert face.path.suffix == ".ttc"
    assert ord("债") in face.codepoints and ord("A") in face.codepoints
    bold = find_face("Noto Serif CJK SC", weight=200)
    assert bold is not None and bold.weight > face.weight


def test_missing_family_is_none() -> None:
    assert find_faces(["Noto Serif", "No Such Family 123"])["No Such Family 123"] is None
