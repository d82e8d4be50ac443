import Micrograd
