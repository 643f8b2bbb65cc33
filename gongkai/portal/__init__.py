"""The public side: the 政府信息公开专栏 of every organisation (国办公开办函〔2019〕61号), anonymous."""
