class App; end
