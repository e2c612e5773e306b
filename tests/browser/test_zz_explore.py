from qse.roles import Role
from tests.browser.conftest import login, shoot

def test_explore(page, browser_world):
    w = browser_world
    login(page, w.a.users[Role.COORDINATOR])
    for name, url in [("dash", "/improvement/"), ("list", "/improvement/actions/"), ("add", "/improvement/actions/add/"),
                      ("detail", w.a.actions[0].get_absolute_url()), ("board", "/improvement/board/"), ("mine", "/improvement/mine/")]:
        page.goto(url)
        page.wait_for_timeout(300)
        open(f"/tmp/explore/{name}.html", "w").write(page.content())
        shoot(page, "x-" + name)
    print(page.script_errors)
    page.script_errors.clear()
