"""placeholder"""
PageModel = Prediction = load_model = None
