from tests.desktop import Desktop


def test_openbox_reports_an_active_window(desktop: Desktop) -> None:
    desktop.spawn("xmessage", "-name", "probe", "hello")
    desktop.wait_for(lambda: desktop.run("xdotool", "search", "--name", "probe", check=False), what="xmessage")
    wid = desktop.run("xdotool", "search", "--name", "probe").split()[0]
    desktop.run("xdotool", "windowactivate", "--sync", wid)
    assert "window id" in desktop.run("xprop", "-root", "_NET_ACTIVE_WINDOW")
