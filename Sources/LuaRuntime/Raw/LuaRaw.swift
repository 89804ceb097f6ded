import CLua
import CLuaShims
