secure = "true"
