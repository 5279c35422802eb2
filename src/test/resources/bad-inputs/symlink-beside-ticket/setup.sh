ln -s "$SAMPLES/chelsea.png" linked.png
