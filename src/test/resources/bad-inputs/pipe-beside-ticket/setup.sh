mkfifo pipe.png
