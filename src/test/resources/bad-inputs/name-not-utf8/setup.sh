printf 'a prompt' > "$(printf 'bad\377name.txt')"
