ln -s /nonexistent/cat.png gone.png
