"""Sign-in limits and equal work (issue 22), on a review database of their own (no servers):
an attacker elsewhere cannot lock the owner out, concurrent guesses get no extra checks, and an
unknown name costs the same Argon2 work as a known one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from review import accounts, limits, roster


@pytest.fixture()
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'review.db'}"


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(url):
    accounts.add_user("dewi", "Bu Dewi", "trainer", ["DPMPTSP Kota A"], "dewi-rahasia-12", url)
    for _ in range(limits.PER_ACCOUNT_AND_ADDRESS):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate("dewi", "tebakan", "10.0.0.66", url)
    with pytest.raises(accounts.RateLimited):  # the attacker's address is stopped ...
        accounts.authenticate("dewi", "dewi-rahasia-12", "10.0.0.66", url)
    # ... the owner, from her own desk, is not
    assert accounts.authenticate("dewi", "dewi-rahasia-12", "10.0.0.5", url).name == "Bu Dewi"


def test_a_trainee_is_not_locked_out_by_guesses_from_elsewhere(url):
    roster.add_unit("DPMPTSP Kota A", url)
    trainee, code = roster.enrol("A1001", "Dewi", "DPMPTSP Kota A", "uji", None, url)
    roster.sign_in("A1001", code, "sandi-dewi-123", "10.0.0.5", url)
    for _ in range(limits.PER_ACCOUNT_AND_ADDRESS):
        with pytest.raises(limits.LoginRefused):
            roster.sign_in("A1001", "ABCD-EFGH", None, "10.0.0.66", url)
    with pytest.raises(limits.RateLimited):
        roster.sign_in("A1001", "sandi-dewi-123", None, "10.0.0.66", url)
    assert roster.sign_in("A1001", "sandi-dewi-123", None, "10.0.0.5", url).id == "A1001"


def test_concurrent_attempts_are_counted_before_any_check(url):
    def attempt(_: int) -> bool:
        try:
            limits.reserve("login", "rudi", "10.0.0.66", url)
            return True
        except limits.RateLimited:
            return False

    limits.hit("warm-up", 1, url)  # the schema exists before the threads race
    with ThreadPoolExecutor(max_workers=16) as pool:
        allowed = sum(pool.map(attempt, range(30)))
    assert allowed == limits.PER_ACCOUNT_AND_ADDRESS


def test_unknown_names_cost_the_same_argon2_work(url, monkeypatch):
    accounts.add_user("wati", "Bu Wati", "trainer", [], "wati-rahasia-12", url)
    roster.add_unit("DPMPTSP Kota A", url)
    _, code = roster.enrol("B2002", "Budi", "DPMPTSP Kota A", "uji", None, url)
    roster.sign_in("B2002", code, "sandi-budi-123", "10.0.0.5", url)
    calls: list[int] = []

    class Counting:
        def __init__(self, hasher) -> None:
            self.hasher = hasher

        def verify(self, stored: str, given: str) -> bool:
            calls.append(1)
            return self.hasher.verify(stored, given)

    for module in (accounts, roster):
        monkeypatch.setattr(module, "_hasher", Counting(module._hasher))

    def checks(function, *args) -> int:
        calls.clear()
        with pytest.raises(limits.LoginRefused):
            function(*args)
        return len(calls)

    known = checks(accounts.authenticate, "wati", "salah-sekali", "10.0.0.7", url)
    unknown = checks(accounts.authenticate, "tidak-ada", "salah-sekali", "10.0.0.8", url)
    assert known == unknown == 1
    known = checks(roster.sign_in, "B2002", "salah-sekali", None, "10.0.0.7", url)
    unknown = checks(roster.sign_in, "Z9999", "salah-sekali", None, "10.0.0.8", url)
    assert known == unknown == 2


def test_a_successful_sign_in_costs_nobody_an_attempt(url):
    accounts.add_user("adi", "Pak Adi", "admin", [], "adi-rahasia-123", url)
    for _ in range(limits.PER_ADDRESS + 5):  # an office behind one address signs in all day
        accounts.authenticate("adi", "adi-rahasia-123", "10.0.0.1", url)


def test_two_accounts_never_share_the_name_that_signs_notes_and_the_audit_log(url):
    accounts.add_user("tb", "Full TB", "trainer", [], "tb-rahasia-1234", url)
    with pytest.raises(ValueError, match="sudah dipakai"):
        accounts.add_user("tb2", "full  tb", "trainer", [], "tb2-rahasia-123", url)
    accounts.add_user("wati", "Wati", "trainer", [], "wati-rahasia-12", url)
    with pytest.raises(ValueError, match="sudah dipakai"):  # a bare user name is its name
        accounts.add_user("WATI2", "wati", "trainer", [], "wati2-rahasia-1", url)
