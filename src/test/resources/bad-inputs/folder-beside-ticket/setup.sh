mkdir box.png
