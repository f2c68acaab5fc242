from django import forms


class SubscribeForm(forms.Form):
    plan_id = forms.CharField(max_length=30)
    payment_method_id = forms.CharField(max_length=100)
