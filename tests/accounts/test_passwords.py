"""The rules for passwords and recovery codes, without a database."""

from accounts import passwords


def test_short_passwords_are_refused():
    assert passwords.password_problem("kort") == "too_short"
    assert passwords.password_problem("a" * 9) == "too_short"


def test_common_passwords_are_refused():
    for common in ("password123", "1234567890", "qwertyuiop", "Lösenord123", "adgangskode1", "aaaaaaaaaaaa"):
        assert passwords.password_problem(common) == "common", common


def test_password_with_the_handle_in_it_is_refused():
    assert passwords.password_problem("stjarnfall-stjarnfall", handle="stjarnfall") == "contains_handle"


def test_a_few_unrelated_words_are_accepted():
    assert passwords.password_problem("green kettle morning walk") is None
    assert passwords.password_problem("blå cykel under bron") is None


def test_overlong_password_is_refused_without_judging_it():
    assert passwords.password_problem("x" * 201) == "too_long"


def test_hash_is_argon2id_and_verifies():
    hashed = passwords.hash_password("green kettle morning walk")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "green kettle morning walk")
    assert not passwords.verify_password(hashed, "green kettle morning run")
    assert not passwords.verify_password("not a hash", "anything")


def test_recovery_codes_are_random_readable_and_forgiving_to_type():
    codes = {passwords.new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == 19 and code.count("-") == 3
    assert not set(code.replace("-", "")) & set("01ilo")
    stored = passwords.hash_code(code)
    assert code not in stored
    assert passwords.code_matches(stored, code.upper().replace("-", " "))
    assert not passwords.code_matches(stored, passwords.new_recovery_code())
